#include "server/workspaces/workspace_notice.hpp"

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {

// Every notice opens with its action and workspace.
core::JsonWriter& begin(core::JsonWriter& w, std::string_view action, std::string_view workspace_id) {
  return w.begin_object().member("action", action).member("workspace_id", workspace_id);
}

}  // namespace

std::string workspace_info_json(const WorkspaceRecord& w) {
  std::string json;
  core::JsonWriter(json)
      .begin_object()
      .member("name", w.name)
      .member("description", w.description)
      .member("visibility", w.is_public ? "public" : "private")
      .end_object();
  return json;
}

std::string invited_to_workspace_payload(const WorkspaceRecord& workspace, std::string_view inviter) {
  std::string json;
  core::JsonWriter w(json);
  begin(w, "invited_to_workspace", workspace.workspace_id)
      .key("workspace_info").raw(workspace_info_json(workspace))
      .member("inviter", inviter)
      .end_object();
  return json;
}

std::string workspace_member_joined_payload(const WorkspaceRecord& workspace, std::string_view user, WorkspaceRole role) {
  std::string json;
  core::JsonWriter w(json);
  begin(w, "member_joined", workspace.workspace_id)
      .key("workspace_info").raw(workspace_info_json(workspace))
      .member("target_user_id", user)
      .member("role", role_name(role))
      .end_object();
  return json;
}

std::string workspace_member_left_payload(std::string_view workspace_id, std::string_view user,
                                          std::string_view reason, std::string_view by) {
  std::string json;
  core::JsonWriter w(json);
  begin(w, "member_left", workspace_id).member("target_user_id", user).member("reason", reason);
  if (!by.empty()) w.member("by_user_id", by);
  w.end_object();
  return json;
}

std::string workspace_role_changed_payload(std::string_view workspace_id, std::string_view user, WorkspaceRole role,
                                           WorkspaceRole previous, std::string_view by) {
  std::string json;
  core::JsonWriter w(json);
  begin(w, "role_changed", workspace_id)
      .member("target_user_id", user)
      .member("role", role_name(role))
      .member("previous_role", role_name(previous))
      .member("by_user_id", by)
      .end_object();
  return json;
}

std::string workspace_deleted_payload(std::string_view workspace_id, std::string_view by) {
  std::string json;
  core::JsonWriter w(json);
  begin(w, "workspace_deleted", workspace_id).member("by_user_id", by).end_object();
  return json;
}

}  // namespace qsip::server
