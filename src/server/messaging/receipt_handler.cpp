#include "server/messaging/receipt_handler.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/messaging/conversation_target.hpp"
#include "server/messaging/message_timers.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

void ReceiptHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  const auto status = msg.payload_string("status");
  const bool delivered = status == "delivered_to_client";
  const bool read = status == "read";
  if (!delivered && !read)
    return fail(core::ErrorCode::kMalformedPayload,
                "payload.status: a client sends delivered_to_client or read, not " + std::string(status));
  // The receipt names the event by its sender (to.user_id) and id.
  if (msg.to_user_id.empty()) return fail(core::ErrorCode::kMalformedPayload, "to.user_id: required (the sender of the message)");
  auto& store = delivery_.store(session);
  auto event = store.find(std::string(msg.to_user_id), std::string(msg.payload_string("target_message_id")));
  const auto& me = session.user_id();
  // Only a recipient or the sender may acknowledge; anyone else learns nothing.
  if (!event || !(event->sender_user == me || can_see(*session.context().reader, *event, me)))
    return fail(core::ErrorCode::kMessageNotFound,
                "payload.target_message_id: no message " + std::string(msg.payload_string("target_message_id")) +
                    " from " + std::string(msg.to_user_id) + " to you");
  delivery_.acknowledge(session, event->seq);
  if (event->kind != "MESSAGE" || event->sender_user == me) return;  // own copies and actions: the cursor only

  auto& context = session.context();
  const auto wanted = read ? store::MessageState::kRead : store::MessageState::kDeliveredToClient;
  if (event->state >= wanted) return;  // told already (by another device, or earlier)
  const auto now = unix_now_ms();
  store.raise_state(event->sender_user, event->message_id, wanted, now);
  if (event->ephemeral_ttl_s > 0 && event->state < store::MessageState::kDeliveredToClient)
    timers_.wake(now + event->ephemeral_ttl_s * 1000);
  if (!context.directory || !context.mailer) return;
  auto frame = make_frame_bytes(std::string(request.frame));
  send_to_user(*context.directory, *context.mailer, event->sender_user, frame, Delivery::kReliable);
  if (read) send_to_user(*context.directory, *context.mailer, me, frame, Delivery::kReliable, session.connection_id());
}

}  // namespace qsip::server
