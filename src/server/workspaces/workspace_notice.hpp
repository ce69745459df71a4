// The server-originated WORKSPACE payloads (docs/groups.md "Workspaces"),
// one function each so the names of actions and fields live in one place.
#pragma once

#include <string>
#include <string_view>

#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

std::string invited_to_workspace_payload(const WorkspaceRecord& workspace, std::string_view inviter);
std::string workspace_member_joined_payload(const WorkspaceRecord& workspace, std::string_view user, WorkspaceRole role);
// reason "left" or "kicked" (then `by` names who kicked).
std::string workspace_member_left_payload(std::string_view workspace_id, std::string_view user,
                                          std::string_view reason, std::string_view by = {});
std::string workspace_role_changed_payload(std::string_view workspace_id, std::string_view user, WorkspaceRole role,
                                           WorkspaceRole previous, std::string_view by);
std::string workspace_deleted_payload(std::string_view workspace_id, std::string_view by);

// {"name": ..., "description": ..., "visibility": ...}
std::string workspace_info_json(const WorkspaceRecord& workspace);

}  // namespace qsip::server
