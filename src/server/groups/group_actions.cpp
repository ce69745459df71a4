#include "server/groups/group_actions.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "server/groups/group_action_steps.hpp"
#include "server/groups/group_audit.hpp"
#include "server/groups/group_authority.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace group_steps {

std::string receipt_with_group(std::string_view group_id, const ReceiptExtra& extra) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("group_id", group_id);
  if (!extra.target_user_id.empty()) w.member("target_user_id", extra.target_user_id);
  if (extra.role) w.member("role", role_name(*extra.role));
  if (extra.invited) {
    w.key("invited").begin_array();
    for (const auto& user : *extra.invited) w.value(user);
    w.end_array();
  }
  w.end_object();
  return json;
}

// The creator becomes the owner; `members` are invited, not added: nobody is
// put in a group without consent (Appendix A.2 tells them invited_to_group).
void create(GroupStore& store, const GroupRequest& r, const AccountCheck& has_account, GroupOutcome& o) {
  std::vector<std::string> invitees;
  for (const auto& user : r.members) {
    if (user == r.user_id) continue;  // the draft's example lists the creator too
    if (!has_account(user)) {
      o.error = ErrorCode::kUserNotFound;
      o.detail = "payload.members: no user " + user;
      return;
    }
    invitees.push_back(user);
  }
  if (r.workspace_id && !r.workspace_id->empty())
    if (auto refusal = check_workspace_placement(store, *r.workspace_id, r.user_id, "payload.workspace_id")) {
      o.error = refusal->code;
      o.detail = std::move(refusal->detail);
      return;
    }
  GroupRecord g;
  // The suggestion is confirmed when free; a taken (or once used) id is replaced.
  g.group_id = !r.group_id.empty() && !store.id_taken(r.group_id) ? r.group_id : r.fallback_group_id;
  g.name = r.name.value_or("");
  g.topic = r.topic.value_or("");
  g.avatar_url = r.avatar_url.value_or("");
  g.is_public = r.is_public.value_or(false);
  g.workspace_id = r.workspace_id.value_or("");
  g.settings_json = r.settings_json.value_or("{}");
  g.join_requests = r.join_requests;
  g.created_by = r.user_id;
  g.created_at_ms = g.updated_at_ms = r.now_ms;
  store.insert_group(g);
  store.set_member(g.group_id, r.user_id, GroupRole::kOwner, r.now_ms);
  for (const auto& user : invitees) store.invite(g.group_id, user, r.user_id, r.now_ms);

  o.receipt_json = receipt_with_group(g.group_id, {.role = GroupRole::kOwner, .invited = &invitees});
  o.audits.push_back(audit_event(kAuditGroupCreated, r.user_id, "group", g.group_id, R"({"role":"owner"})"));
  // The creator's other devices learn of the group as of any membership (16.3).
  o.notices.push_back({{r.user_id}, member_joined_payload(g, r.user_id, GroupRole::kOwner)});
  if (!invitees.empty()) o.notices.push_back({invitees, invited_to_group_payload(g, r.user_id)});
}

void update(const Step& s) {
  const auto& r = s.request;
  if (!r.name && !r.topic && !r.avatar_url && !r.is_public && !r.settings_json && !r.workspace_id)
    return s.fail(ErrorCode::kMalformedPayload, "payload: update needs name, topic, avatar_url, visibility or settings");
  if (r.workspace_id && !r.workspace_id->empty() && *r.workspace_id != s.group.workspace_id)
    if (auto refusal = check_workspace_placement(s.store, *r.workspace_id, r.user_id, "payload.workspace_id"))
      return s.fail(refusal->code, std::move(refusal->detail));
  GroupRecord g = s.group;
  if (r.name) g.name = *r.name;
  if (r.topic) g.topic = *r.topic;
  if (r.avatar_url) g.avatar_url = *r.avatar_url;
  if (r.is_public) g.is_public = *r.is_public;
  if (r.workspace_id) g.workspace_id = *r.workspace_id;
  if (r.settings_json) {  // replaces the whole object (docs/groups.md "Settings")
    g.settings_json = *r.settings_json;
    g.join_requests = r.join_requests;
  }
  g.updated_at_ms = r.now_ms;
  s.store.update_group(g);
  s.outcome.receipt_json = receipt_with_group(g.group_id);
  s.tell(s.store.member_ids(g.group_id), group_updated_payload(g, r.user_id));
}

// Everyone the group concerned is told: members, invitees, requesters.
void remove_group(const Step& s) {
  const auto& id = s.group.group_id;
  std::vector<std::string> told = s.store.member_ids(id);
  for (auto& user : s.store.invitees(id)) told.push_back(std::move(user));
  for (auto& user : s.store.requesters(id))
    if (std::find(told.begin(), told.end(), user) == told.end()) told.push_back(std::move(user));
  s.store.delete_group(id, s.request.now_ms);
  const bool channel = s.group.is_channel;
  s.outcome.audits.push_back(audit_event(channel ? kAuditChannelDeleted : kAuditGroupDeleted, s.request.user_id,
                                         channel ? "channel" : "group", id));
  s.outcome.receipt_json = receipt_with_group(id);
  s.tell(std::move(told), group_deleted_payload(id, s.request.user_id));
}

}  // namespace group_steps

namespace {

std::string refusal_detail(const GroupRequest& r, std::optional<GroupRole> role, ErrorCode code) {
  const std::string action(action_name(r.action));
  if (code == ErrorCode::kForbidden) return "payload.group_id: " + action + " is for members of " + r.group_id;
  if (code == ErrorCode::kInvalidActionForState) return "payload.group_id: you are already a member of " + r.group_id;
  return "payload.action: " + action + " needs the " + std::string(role_name(least_role(r.action).value_or(GroupRole::kMember))) +
         " role or above; you are " + std::string(role_name(role.value_or(GroupRole::kMember)));
}

}  // namespace

bool is_read_action(GroupAction action) {
  return action == GroupAction::kGetInfo || action == GroupAction::kListMembers;
}

GroupOutcome apply_group_action(GroupStore& store, const GroupRequest& r, const AccountCheck& has_account,
                               const BanCheck& banned) {
  GroupOutcome o;
  if (r.action == GroupAction::kCreate) {
    group_steps::create(store, r, has_account, o);
    return o;
  }
  auto group = store.group(r.group_id);
  if (!group) {
    o.error = ErrorCode::kGroupNotFound;
    o.detail = "payload.group_id: no group " + r.group_id;
    return o;
  }
  // Join and leave are about membership itself; every other action is
  // decided by the effective role (a workspace admin acts as owner).
  auto member_role = store.role_of(r.group_id, r.user_id);
  const bool about_membership = r.action == GroupAction::kJoin || r.action == GroupAction::kLeave;
  auto role = about_membership ? member_role : effective_role(store, *group, r.user_id, member_role);
  if (auto refusal = role_refusal(r.action, role)) {
    o.error = *refusal;
    o.detail = refusal_detail(r, role, *refusal);
    return o;
  }
  const group_steps::Step step{store, r, *group, role, o, has_account, banned};
  switch (r.action) {
    case GroupAction::kCreate: break;  // above
    case GroupAction::kUpdate: group_steps::update(step); break;
    case GroupAction::kDelete: group_steps::remove_group(step); break;
    case GroupAction::kInvite: group_steps::invite(step); break;
    case GroupAction::kJoin: group_steps::join(step); break;
    case GroupAction::kLeave: group_steps::leave(step); break;
    case GroupAction::kKick: group_steps::kick(step); break;
    case GroupAction::kSetRole: group_steps::set_role(step); break;
    case GroupAction::kGetInfo: group_steps::get_info(step); break;
    case GroupAction::kListMembers: group_steps::list_members(step); break;
    case GroupAction::kApproveJoin: group_steps::approve_join(step); break;
    case GroupAction::kDenyJoin: group_steps::deny_join(step); break;
  }
  return o;
}

}  // namespace qsip::server
