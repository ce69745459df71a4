#include "server/workspaces/workspace_role.hpp"

namespace qsip::server {

std::string_view role_name(WorkspaceRole role) {
  switch (role) {
    case WorkspaceRole::kOwner: return "owner";
    case WorkspaceRole::kAdmin: return "admin";
    case WorkspaceRole::kMember: break;
  }
  return "member";
}

std::optional<WorkspaceRole> parse_workspace_role(std::string_view name) {
  if (name == "owner") return WorkspaceRole::kOwner;
  if (name == "admin") return WorkspaceRole::kAdmin;
  if (name == "member") return WorkspaceRole::kMember;
  return std::nullopt;
}

}  // namespace qsip::server
