// invite, join, leave, kick, set_role and the join-request extension
// (approve_join, deny_join): who may, in which state, and who is told
// (docs/groups.md). The actor's role already passed the matrix.
#include "server/groups/group_action_steps.hpp"

#include "core/json_writer.hpp"
#include "server/groups/group_audit.hpp"

namespace qsip::server::group_steps {

using core::ErrorCode;

namespace {

// Members after the change, plus whoever just left (the kicked or leaving
// user's devices learn it too).
std::vector<std::string> members_and(GroupStore& store, const std::string& group_id, const std::string& user) {
  auto users = store.member_ids(group_id);
  users.push_back(user);
  return users;
}

const char* kLastOwner = ": the last owner; make another member owner first, or delete the group";

// The user becomes a member (role member); whatever invitation or request
// led there is used up. Every member's devices are told, the new one's too.
void admit(const Step& s, const std::string& user, std::string_view approved_by) {
  const auto& id = s.group.group_id;
  s.store.set_member(id, user, GroupRole::kMember, s.request.now_ms);
  s.store.remove_invitation(id, user);
  s.store.remove_join_request(id, user);
  s.tell(s.store.member_ids(id), member_joined_payload(s.group, user, GroupRole::kMember, approved_by));
}

}  // namespace

// All or nothing: one unknown or already-member invitee refuses the request.
// Inviting someone already invited refreshes the invitation and tells again.
void invite(const Step& s) {
  const auto& r = s.request;
  const auto& id = s.group.group_id;
  if (r.members.empty()) return s.fail(ErrorCode::kMalformedPayload, "payload.members: at least one user");
  for (const auto& user : r.members) {
    if (s.store.role_of(id, user)) return s.fail(ErrorCode::kInvalidActionForState, "payload.members: " + user + " is already a member");
    if (!s.has_account(user)) return s.fail(ErrorCode::kUserNotFound, "payload.members: no user " + user);
    if (auto ban = s.ban_of(user, "payload.members")) return s.fail(ErrorCode::kForbidden, std::move(*ban));
  }
  for (const auto& user : r.members) s.store.invite(id, user, r.user_id, r.now_ms);
  s.outcome.receipt_json = receipt_with_group(id, {.invited = &r.members});
  s.tell(r.members, invited_to_group_payload(s.group, r.user_id));
}

// Anyone joins a public group; a private one takes an invitation, or, when
// its settings allow join requests, records a request for an approver.
void join(const Step& s) {
  const auto& user = s.request.user_id;
  const auto& id = s.group.group_id;
  if (auto ban = s.ban_of(user, "payload.group_id")) return s.fail(ErrorCode::kForbidden, std::move(*ban));
  if (s.group.is_public || s.store.is_invited(id, user)) {
    admit(s, user, {});
    s.outcome.receipt_json = receipt_with_group(id, {.role = GroupRole::kMember});
    return;
  }
  if (!s.group.join_requests)
    return s.fail(ErrorCode::kForbidden, "payload.group_id: " + id + " is private; joining takes an invitation");
  s.store.request_join(id, user, s.request.now_ms);
  s.outcome.status = "pending";
  s.outcome.receipt_json = receipt_with_group(id);
  s.tell(s.store.member_ids_from(id, GroupRole::kModerator), join_requested_payload(id, user));
}

// A member leaves; a non-member with an invitation declines it, one with a
// request withdraws it (nobody else is told of either).
void leave(const Step& s) {
  const auto& user = s.request.user_id;
  const auto& id = s.group.group_id;
  if (!s.role) {
    bool declined = s.store.remove_invitation(id, user);
    bool withdrawn = s.store.remove_join_request(id, user);
    if (!declined && !withdrawn)
      return s.fail(ErrorCode::kInvalidActionForState, "payload.group_id: you are not a member of " + id);
    s.outcome.receipt_json = receipt_with_group(id);
    return;
  }
  if (*s.role == GroupRole::kOwner && s.store.owner_count(id) == 1)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.group_id: you are" + std::string(kLastOwner));
  s.store.remove_member(id, user);
  s.outcome.receipt_json = receipt_with_group(id);
  s.tell(members_and(s.store, id, user), member_left_payload(id, user, "left"));
}

void kick(const Step& s) {
  const auto& target = s.request.target_user_id;
  const auto& id = s.group.group_id;
  if (target == s.request.user_id)
    return s.fail(ErrorCode::kMalformedPayload, "payload.target_user_id: cannot be yourself; use leave");
  auto target_role = s.store.role_of(id, target);
  if (!target_role) return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is not a member");
  if (!outranks(*s.role, *target_role))
    return s.fail(ErrorCode::kInsufficientPermissions, "payload.target_user_id: " + target + " is " +
                                                           std::string(role_name(*target_role)) + ", not below you");
  s.store.remove_member(id, target);
  s.outcome.receipt_json = receipt_with_group(id, {.target_user_id = target});
  s.tell(members_and(s.store, id, target), member_left_payload(id, target, "kicked", s.request.user_id));
}

void set_role(const Step& s) {
  const auto& target = s.request.target_user_id;
  const auto& id = s.group.group_id;
  const GroupRole role = s.request.role.value_or(GroupRole::kMember);
  auto previous = s.store.role_of(id, target);
  if (!previous) return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is not a member");
  if (!outranks(*s.role, *previous))
    return s.fail(ErrorCode::kInsufficientPermissions, "payload.target_user_id: " + target + " is " +
                                                           std::string(role_name(*previous)) + ", not below you");
  if (!may_grant(*s.role, role))
    return s.fail(ErrorCode::kInsufficientPermissions, "payload.role: " + std::string(role_name(*s.role)) +
                                                           " cannot grant " + std::string(role_name(role)));
  if (role != *previous && *previous == GroupRole::kOwner && s.store.owner_count(id) == 1)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is" + kLastOwner);
  s.outcome.receipt_json = receipt_with_group(id, {.target_user_id = target, .role = role});
  if (role == *previous) return;  // already: nothing changes, nobody is told
  s.store.set_role(id, target, role);
  std::string details;
  core::JsonWriter(details).begin_object()
      .member("target_user_id", target).member("role", role_name(role)).member("previous_role", role_name(*previous))
      .end_object();
  s.outcome.audits.push_back(
      audit_event(kAuditRoleChanged, s.request.user_id, s.group.is_channel ? "channel" : "group", id, details));
  s.tell(s.store.member_ids(id), role_changed_payload(id, target, role, *previous, s.request.user_id));
}

void approve_join(const Step& s) {
  const auto& target = s.request.target_user_id;
  const auto& id = s.group.group_id;
  if (!s.store.has_join_request(id, target))
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: no pending join request from " + target);
  if (auto ban = s.ban_of(target, "payload.target_user_id")) return s.fail(ErrorCode::kForbidden, std::move(*ban));
  admit(s, target, s.request.user_id);
  s.outcome.receipt_json = receipt_with_group(id, {.target_user_id = target, .role = GroupRole::kMember});
}

void deny_join(const Step& s) {
  const auto& target = s.request.target_user_id;
  const auto& id = s.group.group_id;
  if (!s.store.remove_join_request(id, target))
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: no pending join request from " + target);
  s.outcome.receipt_json = receipt_with_group(id, {.target_user_id = target});
  s.tell({target}, join_denied_payload(id, target, s.request.user_id));
}

}  // namespace qsip::server::group_steps
