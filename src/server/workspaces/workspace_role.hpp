// The three roles of a workspace member (docs/groups.md "Workspaces"),
// ranked owner > admin > member, and their wire names.
#pragma once

#include <optional>
#include <string_view>

namespace qsip::server {

// Declared in rank order: a larger value outranks a smaller one.
enum class WorkspaceRole { kMember = 0, kAdmin = 1, kOwner = 2 };

std::string_view role_name(WorkspaceRole role);
// nullopt for anything but "owner", "admin", "member".
std::optional<WorkspaceRole> parse_workspace_role(std::string_view name);

}  // namespace qsip::server
