#include "server/messaging/reaction_handler.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/messaging/conversation_target.hpp"
#include "server/messaging/event_commit.hpp"

namespace qsip::server {

void ReactionHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  auto action = msg.payload_string("action");
  if (action.empty()) action = "add";  // the draft's default
  if (action != "add" && action != "remove")
    return fail(core::ErrorCode::kMalformedPayload, "payload.action: add or remove, not " + std::string(action));
  const std::string reaction(msg.payload_string("reaction"));
  if (reaction.empty() || reaction.size() > 64)
    return fail(core::ErrorCode::kMalformedPayload, "payload.reaction: 1 to 64 bytes");
  const std::string target_id(msg.payload_string("target_message_id"));
  auto& store = delivery_.store(session);
  const auto& me = session.user_id();
  // Only users who can see the message may react; to anyone else it does not exist.
  auto& reader = *session.context().reader;
  auto target = visible_message(store, reader, me, target_id);
  if (!target) return fail(core::ErrorCode::kMessageNotFound, "payload.target_message_id: no message " + target_id);
  auto now = store.now(target->seq);
  if (!now || now->deleted)
    return fail(core::ErrorCode::kInvalidActionForState, "payload.target_message_id: the message was deleted");
  store::MessageChange change;
  change.kind = action == "add" ? store::MessageChange::Kind::kReactionAdd : store::MessageChange::Kind::kReactionRemove;
  change.target_seq = target->seq;
  change.user_id = me;
  change.reaction = reaction;
  commit_event(delivery_, request, Conversation{target->to_group.empty() ? other_party(*target, me) : "", target->to_group},
               std::move(change), conversation_users(reader, *target), "ok");
}

}  // namespace qsip::server
