#include "server/moderation/moderation_actions.hpp"

#include "server/accounts/account_store.hpp"
#include "server/groups/group_authority.hpp"
#include "server/groups/group_store.hpp"
#include "server/moderation/moderation_notice.hpp"
#include "server/moderation/moderation_permissions.hpp"
#include "server/moderation/sanction_store.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

// One action under way, its group (if any) found and the actor authorized.
struct Step {
  store::SqliteDatabase& db;
  const ModerationRequest& r;
  ModerationOutcome& o;

  void fail(ErrorCode code, std::string detail) const {
    o.error = code;
    o.detail = std::move(detail);
  }
  void tell(std::vector<std::string> recipients, std::string type, std::string payload) const {
    if (!recipients.empty()) o.notices.push_back({std::move(recipients), std::move(type), std::move(payload)});
  }
  // The target's own notice of what was done to it.
  void tell_target() const {
    tell({r.target_user_id}, "MODERATION",
         moderation_notice_payload({r.action, r.target_user_id, r.target_group_id, r.reason, r.expires_at_ms, r.actor}));
  }
  Sanction sanction(SanctionKind kind) const {
    return Sanction{0, kind, r.target_user_id, kind == SanctionKind::kSuspension ? std::string() : r.target_group_id,
                    r.actor, r.reason, r.now_ms, r.expires_at_ms, 0};
  }
};

void mute(const Step& s) {
  SanctionStore(s.db).impose(s.sanction(SanctionKind::kMute));
  s.tell_target();
}

void lift(const Step& s, SanctionKind kind, const char* state) {
  if (!SanctionStore(s.db).lift(kind, s.r.target_group_id, s.r.target_user_id, s.r.now_ms))
    return s.fail(ErrorCode::kInvalidActionForState,
                  "payload.target_user_id: " + s.r.target_user_id + " is not " + state + " " + s.r.target_group_id);
  s.tell_target();
}

// Removes the member as GROUP kick does: the members and the removed user's
// devices learn it as member_left.
void remove_member(const Step& s, GroupStore& groups, const char* how) {
  const auto& id = s.r.target_group_id;
  groups.remove_member(id, s.r.target_user_id);
  auto told = groups.member_ids(id);
  told.push_back(s.r.target_user_id);
  s.tell(std::move(told), "GROUP", removed_member_payload(id, s.r.target_user_id, how, s.r.actor, s.r.reason));
}

// A group keeps an owner (as GROUP leave and set_role make sure): the last
// one is not removed, even by a server administrator.
bool last_owner(const Step& s, GroupStore& groups, std::optional<GroupRole> role) {
  if (role != GroupRole::kOwner || groups.owner_count(s.r.target_group_id) > 1) return false;
  s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + s.r.target_user_id + " is the last owner of " +
                                                s.r.target_group_id + "; make another member owner first, or delete the group");
  return true;
}

void kick(const Step& s, GroupStore& groups, bool member) {
  if (!member)
    return s.fail(ErrorCode::kInvalidActionForState,
                  "payload.target_user_id: " + s.r.target_user_id + " is not a member of " + s.r.target_group_id);
  remove_member(s, groups, "kicked");
  s.tell_target();
}

// Out, and kept out: membership, invitation and join request go; join,
// invite and approve_join are refused while the ban lasts (groups module).
void ban(const Step& s, GroupStore& groups, bool member) {
  SanctionStore(s.db).impose(s.sanction(SanctionKind::kBan));
  if (member) remove_member(s, groups, "banned");
  groups.remove_invitation(s.r.target_group_id, s.r.target_user_id);
  groups.remove_join_request(s.r.target_group_id, s.r.target_user_id);
  s.tell_target();
}

void warn(const Step& s) {
  s.o.warning_id = SanctionStore(s.db).add_warning(
      Warning{0, s.r.target_user_id, s.r.target_group_id, s.r.actor, s.r.reason, s.r.now_ms});
  s.tell_target();
}

// The operator's suspension (`qsipd user suspend`): the account refuses
// REGISTER and its tokens are revoked; the sanction row carries the expiry
// the expiry thread lifts it at.
void suspend(const Step& s) {
  AccountStore accounts(s.db);
  accounts.set_suspended(s.r.target_user_id, true, suspension_until_seconds(s.r.expires_at_ms));
  accounts.revoke_user_tokens(s.r.target_user_id, s.r.now_ms / 1000);
  SanctionStore(s.db).impose(s.sanction(SanctionKind::kSuspension));
  s.tell_target();
  s.o.suspended_user = s.r.target_user_id;
}

}  // namespace

ModerationOutcome apply_moderation_action(store::SqliteDatabase& db, const ModerationRequest& r, bool server_admin) {
  ModerationOutcome o;
  const Step step{db, r, o};
  if (!AccountStore(db).user(r.target_user_id)) {
    step.fail(ErrorCode::kUserNotFound, "payload.target_user_id: no user " + r.target_user_id);
    return o;
  }
  GroupStore groups(db);
  ModeratorStanding actor{std::nullopt, server_admin};
  std::optional<GroupRole> target_role;
  if (!r.target_group_id.empty()) {
    auto group = groups.group(r.target_group_id);
    if (!group) {
      step.fail(ErrorCode::kGroupNotFound, "payload.target_group_id: no group " + r.target_group_id);
      return o;
    }
    // Workspace admins moderate the groups of their workspace as owners (docs/groups.md).
    actor.role = effective_role(groups, *group, r.actor);
    target_role = effective_role(groups, *group, r.target_user_id);
  }
  if (auto refusal = moderation_refusal(r.action, r.target_group_id, actor, target_role, r.target_user_id)) {
    step.fail(refusal->code, refusal->detail);
    return o;
  }
  switch (r.action) {
    case ModerationAction::kMute: mute(step); break;
    case ModerationAction::kUnmute: lift(step, SanctionKind::kMute, "muted in"); break;
    case ModerationAction::kKick:
      if (!last_owner(step, groups, target_role)) kick(step, groups, target_role.has_value());
      break;
    case ModerationAction::kBan:
      if (!last_owner(step, groups, target_role)) ban(step, groups, target_role.has_value());
      break;
    case ModerationAction::kUnban: lift(step, SanctionKind::kBan, "banned from"); break;
    case ModerationAction::kWarn: warn(step); break;
    case ModerationAction::kSuspend: suspend(step); break;
    case ModerationAction::kDeleteMessage:  // the handler's, with the messaging module
      step.fail(ErrorCode::kActionNotSupported, "payload.action: delete_message is not a store action");
      break;
  }
  if (!o.error) o.receipt_json = moderation_receipt_json(r);
  return o;
}

}  // namespace qsip::server
