#include "server/workspaces/workspace_actions.hpp"

#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "server/groups/group_audit.hpp"
#include "server/groups/group_store.hpp"
#include "server/groups/workspace_groups.hpp"
#include "server/workspaces/workspace_notice.hpp"
#include "server/workspaces/workspace_permissions.hpp"
#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

// get lists at most this many of the workspace's groups and channels.
constexpr std::int64_t kMaxListedGroups = 500;

// One action under way over a live workspace.
struct Step {
  WorkspaceStore& workspaces;
  GroupStore& groups;
  const WorkspaceRequest& request;
  const WorkspaceRecord& workspace;
  std::optional<WorkspaceRole> role;  // the actor's; nullopt: not a member
  WorkspaceOutcome& outcome;
  const WorkspaceAccountCheck& has_account;

  void fail(ErrorCode code, std::string detail) const {
    outcome.error = code;
    outcome.detail = std::move(detail);
  }
  void tell(std::vector<std::string> recipients, std::string payload) const {
    if (!recipients.empty()) outcome.notices.push_back({std::move(recipients), std::move(payload)});
  }
  const std::string& id() const { return workspace.workspace_id; }
};

std::string iso_time(std::int64_t ms) {
  return core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

struct ReceiptExtra {
  std::optional<WorkspaceRole> role{};
  std::string_view target_user_id{};
  const std::vector<std::string>* invited = nullptr;
};

std::string receipt(std::string_view workspace_id, const ReceiptExtra& extra = {}) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("workspace_id", workspace_id);
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

std::vector<std::string> members_and(const Step& s, const std::string& user) {
  auto users = s.workspaces.member_ids(s.id());
  users.push_back(user);
  return users;
}

void create(WorkspaceStore& workspaces, const WorkspaceRequest& r, WorkspaceOutcome& o) {
  if (workspaces.id_taken(r.workspace_id)) {
    o.error = ErrorCode::kInvalidActionForState;
    o.detail = "payload.workspace_id: " + r.workspace_id + " is taken";
    return;
  }
  WorkspaceRecord w{r.workspace_id, r.name, r.description, r.is_public, r.user_id, r.now_ms, r.now_ms};
  workspaces.insert(w);
  workspaces.set_member(w.workspace_id, r.user_id, WorkspaceRole::kOwner, r.now_ms);
  o.receipt_json = receipt(w.workspace_id, {.role = WorkspaceRole::kOwner});
  o.audits.push_back(audit_event(kAuditWorkspaceCreated, r.user_id, "workspace", w.workspace_id, R"({"role":"owner"})"));
  o.notices.push_back({{r.user_id}, workspace_member_joined_payload(w, r.user_id, WorkspaceRole::kOwner)});
}

void list(WorkspaceStore& workspaces, const WorkspaceRequest& r, WorkspaceOutcome& o) {
  auto page = workspaces.workspaces_of(r.user_id, r.cursor, r.limit + 1);
  const bool has_more = static_cast<std::int64_t>(page.size()) > r.limit;
  if (has_more) page.pop_back();
  core::JsonWriter w(o.data_json);
  w.begin_object().member("target_message_id", r.message_id).member("action", "list");
  w.key("workspaces").begin_array();
  for (const auto& m : page)
    w.begin_object()
        .member("workspace_id", m.workspace.workspace_id)
        .key("workspace_info").raw(workspace_info_json(m.workspace))
        .member("role", role_name(m.role))
        .end_object();
  w.end_array().member("limit", r.limit).member("has_more", has_more);
  if (has_more && !page.empty()) w.member("next_cursor", page.back().workspace.workspace_id);
  w.end_object();
}

// Everyone the workspace concerned is told; its groups and channels go too.
void remove_workspace(const Step& s) {
  auto told = s.workspaces.member_ids(s.id());
  for (auto& user : s.workspaces.invitees(s.id())) told.push_back(std::move(user));
  const auto removed = delete_workspace_groups(s.groups, s.id(), s.request.user_id, s.request.now_ms,
                                               s.outcome.group_notices, s.outcome.audits);
  s.workspaces.remove(s.id(), s.request.now_ms);
  std::string details;
  core::JsonWriter(details).begin_object().member("groups_deleted", static_cast<std::int64_t>(removed)).end_object();
  s.outcome.audits.push_back(audit_event(kAuditWorkspaceDeleted, s.request.user_id, "workspace", s.id(), details));
  s.outcome.receipt_json = receipt(s.id());
  s.tell(std::move(told), workspace_deleted_payload(s.id(), s.request.user_id));
}

bool may_read(const Step& s) {
  return s.role || s.workspace.is_public || s.workspaces.is_invited(s.id(), s.request.user_id);
}

void get(const Step& s) {
  if (!may_read(s)) return s.fail(ErrorCode::kForbidden, "payload.workspace_id: " + s.id() + " is private");
  const auto& ws = s.workspace;
  const auto& user = s.request.user_id;
  core::JsonWriter w(s.outcome.data_json);
  w.begin_object()
      .member("target_message_id", s.request.message_id)
      .member("action", "get")
      .member("workspace_id", ws.workspace_id)
      .key("workspace_info").raw(workspace_info_json(ws))
      .member("created_by", ws.created_by)
      .member("created_at", iso_time(ws.created_at_ms))
      .member("member_count", s.workspaces.member_count(ws.workspace_id));
  if (s.role) w.member("role", role_name(*s.role));
  else w.member("invited", s.workspaces.is_invited(ws.workspace_id, user));
  // The groups and channels the asker can see: all of them for the
  // workspace's admins, otherwise its own and the public ones.
  const bool sees_all = s.role && *s.role != WorkspaceRole::kMember;
  std::int64_t listed = 0;
  bool truncated = false;
  w.key("groups").begin_array();
  for (const auto& g : s.groups.groups_in_workspace(ws.workspace_id)) {
    auto member_role = s.groups.role_of(g.group_id, user);
    if (!sees_all && !g.is_public && !member_role) continue;
    if (listed == kMaxListedGroups) {
      truncated = true;
      break;
    }
    ++listed;
    w.begin_object()
        .member(g.is_channel ? "channel_id" : "group_id", g.group_id)
        .member("kind", g.is_channel ? "channel" : "group")
        .member("name", g.name)
        .member("visibility", g.is_public ? "public" : "private");
    if (member_role) w.member("role", role_name(*member_role));
    w.end_object();
  }
  w.end_array().member("groups_truncated", truncated).end_object();
}

void list_members(const Step& s) {
  if (!may_read(s)) return s.fail(ErrorCode::kForbidden, "payload.workspace_id: " + s.id() + " is private");
  const auto& r = s.request;
  auto page = s.workspaces.members_page(s.id(), r.cursor, 0, r.limit + 1);
  const bool has_more = static_cast<std::int64_t>(page.size()) > r.limit;
  if (has_more) page.pop_back();
  core::JsonWriter w(s.outcome.data_json);
  w.begin_object()
      .member("target_message_id", r.message_id)
      .member("action", "list_members")
      .member("workspace_id", s.id());
  w.key("members").begin_array();
  for (const auto& m : page) w.value(m.user_id);
  w.end_array().key("member_details").begin_array();
  for (const auto& m : page)
    w.begin_object()
        .member("user_id", m.user_id)
        .member("role", role_name(m.role))
        .member("joined_at", iso_time(m.joined_at_ms))
        .end_object();
  w.end_array()
      .member("total", s.workspaces.member_count(s.id()))
      .member("limit", r.limit)
      .member("has_more", has_more);
  if (has_more && !page.empty()) w.member("next_cursor", page.back().user_id);
  w.end_object();
}

// All or nothing, as GROUP invite: one member or unknown user refuses it.
void invite(const Step& s) {
  const auto& r = s.request;
  if (r.members.empty()) return s.fail(ErrorCode::kMalformedPayload, "payload.members: at least one user");
  for (const auto& user : r.members) {
    if (s.workspaces.role_of(s.id(), user))
      return s.fail(ErrorCode::kInvalidActionForState, "payload.members: " + user + " is already a member");
    if (!s.has_account(user)) return s.fail(ErrorCode::kUserNotFound, "payload.members: no user " + user);
  }
  for (const auto& user : r.members) s.workspaces.invite(s.id(), user, r.user_id, r.now_ms);
  s.outcome.receipt_json = receipt(s.id(), {.invited = &r.members});
  s.tell(r.members, invited_to_workspace_payload(s.workspace, r.user_id));
}

void join(const Step& s) {
  const auto& user = s.request.user_id;
  if (!s.workspace.is_public && !s.workspaces.is_invited(s.id(), user))
    return s.fail(ErrorCode::kForbidden, "payload.workspace_id: " + s.id() + " is private; joining takes an invitation");
  s.workspaces.set_member(s.id(), user, WorkspaceRole::kMember, s.request.now_ms);
  s.workspaces.remove_invitation(s.id(), user);
  s.outcome.receipt_json = receipt(s.id(), {.role = WorkspaceRole::kMember});
  s.tell(s.workspaces.member_ids(s.id()), workspace_member_joined_payload(s.workspace, user, WorkspaceRole::kMember));
}

constexpr const char* kLastOwner = ": the last owner; make another member owner first, or delete the workspace";

void leave(const Step& s) {
  const auto& user = s.request.user_id;
  if (!s.role) {
    if (!s.workspaces.remove_invitation(s.id(), user))
      return s.fail(ErrorCode::kInvalidActionForState, "payload.workspace_id: you are not a member of " + s.id());
    s.outcome.receipt_json = receipt(s.id());
    return;
  }
  if (*s.role == WorkspaceRole::kOwner && s.workspaces.owner_count(s.id()) == 1)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.workspace_id: you are" + std::string(kLastOwner));
  s.workspaces.remove_member(s.id(), user);
  leave_workspace_groups(s.groups, s.id(), user, "left", user, s.outcome.group_notices);
  s.outcome.receipt_json = receipt(s.id());
  s.tell(members_and(s, user), workspace_member_left_payload(s.id(), user, "left"));
}

void kick(const Step& s) {
  const auto& target = s.request.target_user_id;
  if (target == s.request.user_id)
    return s.fail(ErrorCode::kMalformedPayload, "payload.target_user_id: cannot be yourself; use leave");
  auto target_role = s.workspaces.role_of(s.id(), target);
  if (!target_role)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is not a member");
  if (!outranks(*s.role, *target_role))
    return s.fail(ErrorCode::kInsufficientPermissions,
                  "payload.target_user_id: " + target + " is " + std::string(role_name(*target_role)) + ", not below you");
  s.workspaces.remove_member(s.id(), target);
  leave_workspace_groups(s.groups, s.id(), target, "kicked", s.request.user_id, s.outcome.group_notices);
  s.outcome.receipt_json = receipt(s.id(), {.target_user_id = target});
  s.tell(members_and(s, target), workspace_member_left_payload(s.id(), target, "kicked", s.request.user_id));
}

void set_role(const Step& s) {
  const auto& target = s.request.target_user_id;
  const WorkspaceRole role = s.request.role.value_or(WorkspaceRole::kMember);
  auto previous = s.workspaces.role_of(s.id(), target);
  if (!previous)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is not a member");
  if (!outranks(*s.role, *previous))
    return s.fail(ErrorCode::kInsufficientPermissions,
                  "payload.target_user_id: " + target + " is " + std::string(role_name(*previous)) + ", not below you");
  if (!may_grant(*s.role, role))
    return s.fail(ErrorCode::kInsufficientPermissions,
                  "payload.role: " + std::string(role_name(*s.role)) + " cannot grant " + std::string(role_name(role)));
  if (role != *previous && *previous == WorkspaceRole::kOwner && s.workspaces.owner_count(s.id()) == 1)
    return s.fail(ErrorCode::kInvalidActionForState, "payload.target_user_id: " + target + " is" + kLastOwner);
  s.outcome.receipt_json = receipt(s.id(), {.role = role, .target_user_id = target});
  if (role == *previous) return;  // already: nothing changes, nobody is told
  s.workspaces.set_role(s.id(), target, role);
  std::string details;
  core::JsonWriter(details).begin_object()
      .member("target_user_id", target).member("role", role_name(role)).member("previous_role", role_name(*previous))
      .end_object();
  s.outcome.audits.push_back(audit_event(kAuditRoleChanged, s.request.user_id, "workspace", s.id(), details));
  s.tell(s.workspaces.member_ids(s.id()),
         workspace_role_changed_payload(s.id(), target, role, *previous, s.request.user_id));
}

std::string refusal_detail(const WorkspaceRequest& r, std::optional<WorkspaceRole> role, ErrorCode code) {
  const std::string action(action_name(r.action));
  if (code == ErrorCode::kForbidden) return "payload.workspace_id: " + action + " is for members of " + r.workspace_id;
  if (code == ErrorCode::kInvalidActionForState)
    return "payload.workspace_id: you are already a member of " + r.workspace_id;
  return "payload.action: " + action + " needs the " +
         std::string(role_name(least_role(r.action).value_or(WorkspaceRole::kMember))) + " role or above; you are " +
         std::string(role_name(role.value_or(WorkspaceRole::kMember)));
}

}  // namespace

bool is_read_action(WorkspaceAction action) {
  return action == WorkspaceAction::kGet || action == WorkspaceAction::kList || action == WorkspaceAction::kListMembers;
}

WorkspaceOutcome apply_workspace_action(store::SqliteDatabase& db, const WorkspaceRequest& r,
                                        const WorkspaceAccountCheck& has_account) {
  WorkspaceOutcome o;
  WorkspaceStore workspaces(db);
  GroupStore groups(db);
  if (r.action == WorkspaceAction::kCreate) {
    create(workspaces, r, o);
    return o;
  }
  if (r.action == WorkspaceAction::kList) {
    list(workspaces, r, o);
    return o;
  }
  auto workspace = workspaces.workspace(r.workspace_id);
  if (!workspace) {
    o.error = ErrorCode::kResourceNotFound;
    o.detail = "payload.workspace_id: no workspace " + r.workspace_id;
    return o;
  }
  auto role = workspaces.role_of(r.workspace_id, r.user_id);
  if (auto refusal = workspace_role_refusal(r.action, role)) {
    o.error = *refusal;
    o.detail = refusal_detail(r, role, *refusal);
    return o;
  }
  const Step step{workspaces, groups, r, *workspace, role, o, has_account};
  switch (r.action) {
    case WorkspaceAction::kCreate:
    case WorkspaceAction::kList: break;  // above
    case WorkspaceAction::kDelete: remove_workspace(step); break;
    case WorkspaceAction::kGet: get(step); break;
    case WorkspaceAction::kInvite: invite(step); break;
    case WorkspaceAction::kJoin: join(step); break;
    case WorkspaceAction::kLeave: leave(step); break;
    case WorkspaceAction::kSetRole: set_role(step); break;
    case WorkspaceAction::kKick: kick(step); break;
    case WorkspaceAction::kListMembers: list_members(step); break;
  }
  return o;
}

}  // namespace qsip::server
