#include "server/messaging/event_commit.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/messaging/stored_event.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {
void commit_event(MessageDelivery& delivery, Request& request, Conversation conversation, store::MessageChange change,
                  std::vector<std::string> users, std::string answer_status) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto& context = session.context();
  EventRoute route;
  route.frame = make_frame_bytes(std::string(request.frame));
  route.users = std::move(users);
  route.except_connection = session.connection_id();
  auto event = stored_event(msg, *route.frame, unix_now_ms());
  // Stored under its conversation, whatever `to` said.
  event.to_user = std::move(conversation.to_user);
  event.to_group = std::move(conversation.to_group);

  const auto connection = session.connection_id();
  const auto stream = request.stream_id;
  std::string message_id(msg.message_id);
  std::string type_name(msg.type_name);
  auto* directory = context.directory;
  auto* mailer = context.mailer;
  const bool accepted = delivery.store(session).append(
      std::move(event), std::move(change),
      [&delivery, directory, mailer, connection, stream, message_id, type_name, status = std::move(answer_status),
       route = std::move(route)](const store::AppendOutcome& outcome) mutable {
        // On the store's thread, once durable: the answer goes to the
        // sender's worker, the event to every recipient device's worker.
        mailer->run(connection, [stream, message_id, type_name, status, outcome](ClientSession& s) {
          if (outcome.stored) {
            s.answer_receipt(stream, message_id, status);
          } else {
            s.answer_error(stream, core::Failure{core::ErrorCode::kDatabaseError, type_name + ": " + outcome.error,
                                                 message_id, {}});
          }
        });
        if (!outcome.stored || outcome.duplicate || outcome.unchanged) return;
        route.seq = outcome.seq;
        delivery.publish(*directory, *mailer, route);
      });
  if (!accepted)
    session.answer_error(request.stream_id,
                         core::Failure{core::ErrorCode::kServiceUnavailable,
                                       std::string(msg.type_name) + ": the store is overloaded; retry later",
                                       std::string(msg.message_id), std::string(msg.session_id)});
}

}  // namespace qsip::server
