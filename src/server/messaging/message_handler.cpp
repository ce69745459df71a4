#include "server/messaging/message_handler.hpp"

#include <algorithm>

#include "server/dispatch/client_session.hpp"
#include "server/groups/group_directory.hpp"
#include "core/json_writer.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/messaging/event_commit.hpp"
#include "server/messaging/message_timers.hpp"
#include "server/messaging/stored_event.hpp"
#include "server/moderation/sanction_directory.hpp"
#include "server/routing/connection_mailer.hpp"

namespace qsip::server {

void MessageHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  auto& context = session.context();
  Conversation conversation;
  std::vector<std::string> users;
  if (!msg.to_group_id.empty() || !msg.to_channel_id.empty()) {
    // A channel is a routing target like a group (wire profile 8).
    const bool group = !msg.to_group_id.empty();
    const std::string id(group ? msg.to_group_id : msg.to_channel_id);
    const char* field = group ? "to.group_id" : "to.channel_id";
    users = group_directory::members(*context.reader, id);
    if (users.empty()) return fail(core::ErrorCode::kGroupNotFound, std::string(field) + ": no group " + id);
    if (std::find(users.begin(), users.end(), session.user_id()) == users.end())
      return fail(core::ErrorCode::kForbidden, std::string(field) + ": you are not a member of " + id);
    if (auto muted = sanction_directory::mute_refusal(*context.reader, field, id, session.user_id(), unix_now_ms()))
      return fail(core::ErrorCode::kForbidden, std::move(*muted));
    conversation.to_group = id;
  } else {
    if (msg.to_user_id.empty()) return fail(core::ErrorCode::kMalformedPayload, "to.user_id: required (or to.group_id)");
    if (auto refused = check_direct_message(*context.reader, rules_, session.user_id(), std::string(msg.to_user_id)))
      return fail(refused->code, std::move(refused->detail));
    conversation.to_user = std::string(msg.to_user_id);
    users = {conversation.to_user, session.user_id()};
  }

  const auto schedule_time = msg.payload_string("schedule_time");
  if (!schedule_time.empty()) {
    auto at = parse_timestamp_ms(schedule_time);
    if (!at) return fail(core::ErrorCode::kMalformedPayload, "payload.schedule_time: an ISO 8601 UTC timestamp");
    // A time already past (or within a moment) is now.
    if (*at > unix_now_ms() + 500) return hold(request, *at);
  }
  commit_event(delivery_, request, std::move(conversation), {}, std::move(users), "delivered_to_server");
}

void MessageHandler::hold(Request& request, std::int64_t deliver_at_ms) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto event = stored_event(msg, request.frame, unix_now_ms());
  event.deliver_at_ms = deliver_at_ms;
  if (!msg.to_channel_id.empty() && msg.to_group_id.empty()) event.to_group = std::string(msg.to_channel_id);
  const auto connection = session.connection_id();
  const auto stream = request.stream_id;
  std::string message_id(msg.message_id);
  auto* mailer = session.context().mailer;
  const bool accepted = delivery_.store(session).schedule(
      std::move(event), [this, mailer, connection, stream, message_id, deliver_at_ms](const store::AppendOutcome& o) {
        // Committed: the message is the server's to deliver, at its time.
        mailer->run(connection, [stream, message_id, o, deliver_at_ms](ClientSession& s) {
          if (!o.stored)
            return s.answer_error(stream, core::Failure{core::ErrorCode::kDatabaseError, "MESSAGE: " + o.error, message_id, {}});
          std::string extra;
          core::JsonWriter(extra)
              .begin_object()
              .member("scheduled_for", core::format_timestamp(std::chrono::system_clock::time_point(
                                           std::chrono::milliseconds(deliver_at_ms))))
              .end_object();
          s.answer_receipt(stream, message_id, "delivered_to_server", extra);
        });
        if (o.stored && !o.duplicate) timers_.wake(deliver_at_ms);
      });
  if (!accepted)
    session.answer_error(request.stream_id, core::Failure{core::ErrorCode::kServiceUnavailable,
                                                          "MESSAGE: the store is overloaded; retry later",
                                                          std::string(msg.message_id), std::string(msg.session_id)});
}

}  // namespace qsip::server
