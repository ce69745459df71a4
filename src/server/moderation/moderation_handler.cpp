#include "server/moderation/moderation_handler.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/group_authority.hpp"
#include "server/groups/group_store.hpp"
#include "server/messaging/message_deletion.hpp"
#include "server/moderation/moderation_actions.hpp"
#include "server/moderation/moderation_notice.hpp"
#include "server/moderation/moderation_permissions.hpp"
#include "server/moderation/sanction_store.hpp"
#include "server/roster/server_message.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

// One audit event per action (docs/moderation.md "Audit"): who, on whom or
// which message, and the action's terms; refused ones with why.
void record(AuditLog* log, const ModerationRequest& r, const std::string& ip, const std::string& failure) {
  if (!log) return;
  AuditEvent e;
  e.time_ms = r.now_ms;
  e.event_type = kAuditModerationAction;
  e.actor_user_id = r.actor;
  e.actor_device_id = r.actor_device;
  const bool message = r.action == ModerationAction::kDeleteMessage;
  e.target_resource_type = message ? "message" : "user";
  e.target_resource_id = message ? r.target_message_id : r.target_user_id;
  e.ip_address = ip;
  if (!failure.empty()) {
    e.status = "failure";
    e.failure_reason = failure;
  }
  std::string details;
  core::JsonWriter w(details);
  w.begin_object().member("action", moderation_action_name(r.action));
  if (!r.reason.empty()) w.member("reason", r.reason);
  if (!r.target_group_id.empty()) w.member("group", r.target_group_id);
  if (!r.target_user_id.empty()) w.member("target_user_id", r.target_user_id);
  if (r.expires_at_ms != 0) w.member("expires_at", iso_ms(r.expires_at_ms));
  w.end_object();
  e.details_json = std::move(details);
  log->record(std::move(e));
}

// Notices to every device of their recipients but `except`; returns how
// many devices of `counted` got a MODERATION (a warning is delivered once
// one did).
std::size_t send_notices(WorkerContext& context, const std::vector<ModerationNotice>& notices, std::uint64_t except,
                         const std::string& counted) {
  std::size_t reached = 0;
  if (!context.directory || !context.mailer) return reached;
  for (const auto& notice : notices) {
    std::string_view to = notice.recipients.size() == 1 ? std::string_view(notice.recipients.front()) : std::string_view();
    auto frame = server_message_frame(context.identity, notice.type, to, notice.payload_json);
    for (const auto& user : notice.recipients) {
      auto n = send_to_user(*context.directory, *context.mailer, user, frame, Delivery::kReliable, except);
      if (notice.type == "MODERATION" && user == counted) reached += n;
    }
  }
  return reached;
}

// The message delete_message is about: with a group, that group's message
// with this id; without, any (server administrators), the author named by
// target_user_id when ids collide (they are unique per sender only).
struct FoundMessage {
  std::optional<store::StoredEvent> message;
  std::optional<ModerationRefusal> refusal;
};
FoundMessage find_message(store::MessageStore& store, const ModerationRequest& r) {
  std::vector<store::StoredEvent> matches;
  for (auto& m : store.find_messages(r.target_message_id)) {
    if (!r.target_group_id.empty() && m.to_group != r.target_group_id) continue;
    if (!r.target_user_id.empty() && m.sender_user != r.target_user_id) continue;
    matches.push_back(std::move(m));
  }
  if (matches.empty()) {
    std::string where = r.target_group_id.empty() ? std::string() : " in " + r.target_group_id;
    return {std::nullopt, ModerationRefusal{ErrorCode::kMessageNotFound,
                                            "payload.target_message_id: no message " + r.target_message_id + where}};
  }
  if (matches.size() > 1)
    return {std::nullopt, ModerationRefusal{ErrorCode::kMalformedPayload,
                                            "payload.target_user_id: several authors sent a message " +
                                                r.target_message_id + "; name the author"}};
  return {std::move(matches.front()), std::nullopt};
}

}  // namespace

bool ModerationHandler::is_server_admin(const std::string& user_id) const {
  return std::find(settings_.server_admins.begin(), settings_.server_admins.end(), user_id) !=
         settings_.server_admins.end();
}

void ModerationHandler::handle(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  auto parsed = read_moderation_request(msg, session.user_id(), session.device_id(), unix_now_ms());
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  const ModerationRequest& r = parsed.value();
  const bool admin = is_server_admin(r.actor);
  if (r.action == ModerationAction::kDeleteMessage) return delete_message(request, r, admin);
  if (!context.writer) return fail(ErrorCode::kServiceUnavailable, "MODERATION: no store");

  ModerationOutcome outcome;
  try {
    context.writer->run_sync([&](store::SqliteDatabase& db) { outcome = apply_moderation_action(db, r, admin); });
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("MODERATION: ") + e.what());
  }
  record(audit_, r, session.peer_address(), outcome.error ? outcome.detail : std::string());
  if (outcome.error) return fail(*outcome.error, outcome.detail);
  session.answer_receipt(request.stream_id, msg.message_id, "ok", outcome.receipt_json);
  const auto reached = send_notices(context, outcome.notices, session.connection_id(), r.target_user_id);
  // A warning no device got waits for the user's next REGISTER (ModerationObserver).
  if (outcome.warning_id != 0 && reached > 0)
    context.writer->submit([id = outcome.warning_id, now = r.now_ms](store::SqliteDatabase& db) {
      SanctionStore(db).mark_warning_delivered(id, now);
    });
  if (r.expires_at_ms != 0 && expiry_) expiry_->schedule(r.expires_at_ms);
}

void ModerationHandler::delete_message(Request& request, const ModerationRequest& r, bool admin) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  const std::string ip = session.peer_address();
  auto fail = [&](ErrorCode code, std::string detail) {
    record(audit_, r, ip, detail);
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  if (!context.reader || !context.directory || !context.mailer) return fail(ErrorCode::kServiceUnavailable, "MODERATION: no store");
  auto& reader = *context.reader;
  // Outside a group only server administrators may delete: refused before
  // anything is looked up, so nobody learns which ids exist.
  if (r.target_group_id.empty() && !admin) {
    auto refusal = moderation_refusal(r.action, r.target_group_id, ModeratorStanding{std::nullopt, false}, std::nullopt, {});
    return fail(refusal->code, refusal->detail);
  }
  auto& store = delivery_.store(session);
  store::StoredEvent target;
  try {
    reader.end_open_reads();
    ModeratorStanding actor{std::nullopt, admin};
    if (!r.target_group_id.empty()) {
      GroupStore groups(reader);
      auto group = groups.group(r.target_group_id);
      if (!group) return fail(ErrorCode::kGroupNotFound, "payload.target_group_id: no group " + r.target_group_id);
      // Workspace admins moderate the groups of their workspace as owners (docs/groups.md).
      actor.role = effective_role(groups, *group, r.actor);
      // Members only learn whether a message exists in their group.
      if (auto refusal = moderation_refusal(r.action, r.target_group_id, actor, std::nullopt, {}))
        return fail(refusal->code, refusal->detail);
    }
    auto found = find_message(store, r);
    if (found.refusal) return fail(found.refusal->code, found.refusal->detail);
    target = std::move(*found.message);
    std::optional<GroupRole> author_role;
    // Rank is about acting on others: a moderator may delete its own message too.
    if (!target.to_group.empty() && target.sender_user != r.actor)
      if (GroupStore groups(reader); auto group = groups.group(target.to_group))
        author_role = effective_role(groups, *group, target.sender_user);
    reader.end_open_reads();
    if (auto refusal = moderation_refusal(r.action, r.target_group_id, actor, author_role, target.sender_user))
      return fail(refusal->code, refusal->detail);
    if (already_deleted(store, target))
      return fail(ErrorCode::kInvalidActionForState, "payload.target_message_id: the message was deleted");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("MODERATION: ") + e.what());
  }
  // Answered once the deletion is durable, on the worker of the asking connection.
  auto* mailer = context.mailer;
  auto* log = audit_;
  ModerationRequest answered = r;
  if (answered.target_user_id.empty()) answered.target_user_id = target.sender_user;  // the author, in the receipt
  const auto connection = session.connection_id();
  const auto stream = request.stream_id;
  auto done = [mailer, log, ip, connection, stream, answered](const store::AppendOutcome& outcome) {
    record(log, answered, ip, outcome.stored ? std::string() : "store: " + outcome.error);
    mailer->run(connection, [stream, answered, outcome](ClientSession& s) {
      if (outcome.stored) {
        s.answer_receipt(stream, answered.message_id, "ok", moderation_receipt_json(answered));
      } else {
        s.answer_error(stream, core::Failure{ErrorCode::kDatabaseError, "MODERATION: " + outcome.error,
                                             answered.message_id, {}});
      }
    });
  };
  if (!delete_as_server(store, reader, context.identity, delivery_, *context.directory, *context.mailer, target,
                        ServerDeletion{r.reason, r.actor}, std::move(done)))
    return fail(ErrorCode::kServiceUnavailable, "MODERATION: the store is overloaded; retry later");
}

}  // namespace qsip::server
