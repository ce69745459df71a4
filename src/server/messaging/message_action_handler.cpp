#include "server/messaging/message_action_handler.hpp"

#include <simdjson.h>

#include "server/dispatch/client_session.hpp"
#include "server/messaging/conversation_target.hpp"
#include "server/messaging/event_commit.hpp"
#include "server/messaging/message_deletion.hpp"
#include "server/messaging/message_edit.hpp"
#include "server/messaging/stored_event.hpp"

namespace qsip::server {

void MessageActionHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  const auto action = msg.payload_string("action");
  if (action != "edit" && action != "delete")
    return fail(core::ErrorCode::kMalformedPayload, "payload.action: edit or delete, not " + std::string(action));
  const std::string target_id(msg.payload_string("target_message_id"));
  auto& store = delivery_.store(session);
  const auto& me = session.user_id();
  auto target = store.find(me, target_id);
  if (!target || target->kind != "MESSAGE") {
    if (visible_message(store, *session.context().reader, me, target_id))
      return fail(core::ErrorCode::kInsufficientPermissions,
                  "payload.target_message_id: only the author may " + std::string(action) + " a message");
    return fail(core::ErrorCode::kMessageNotFound, "payload.target_message_id: no message " + target_id + " of yours");
  }
  if (already_deleted(store, *target))
    return fail(core::ErrorCode::kInvalidActionForState, "payload.target_message_id: the message was deleted");

  store::MessageChange change;
  if (action == "delete") {
    change = deletion_of(*target);  // the same change as every delete (message_deletion.hpp)
  } else {
    change.target_seq = target->seq;
    std::string current = store.now(target->seq)->current_payload;
    if (current.empty()) {
      simdjson::dom::parser parser;
      simdjson::dom::object payload;
      if (!parser.parse(target->envelope)["payload"].get(payload)) current = simdjson::to_string(payload);
    }
    auto edited = edited_payload(current, msg);
    if (!edited) return fail(core::ErrorCode::kMalformedPayload, "payload.new_content: required for edit (or payload.new_payload)");
    simdjson::dom::parser parser;
    simdjson::dom::object payload;
    if (parser.parse(*edited).get(payload))
      return fail(core::ErrorCode::kMalformedPayload, "payload.new_payload: must be an object");
    change.kind = store::MessageChange::Kind::kEdit;
    change.new_search_text = searchable_text(payload);
    change.new_payload = std::move(*edited);
  }
  auto& reader = *session.context().reader;
  commit_event(delivery_, request, Conversation{target->to_group.empty() ? other_party(*target, me) : "", target->to_group},
               std::move(change), conversation_users(reader, *target), "ok");
}

}  // namespace qsip::server
