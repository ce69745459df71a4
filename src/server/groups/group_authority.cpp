#include "server/groups/group_authority.hpp"

#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

std::optional<GroupRole> effective_role(GroupStore& store, const GroupRecord& group, const std::string& user_id) {
  return effective_role(store, group, user_id, store.role_of(group.group_id, user_id));
}

std::optional<GroupRole> effective_role(GroupStore& store, const GroupRecord& group, const std::string& user_id,
                                        std::optional<GroupRole> member_role) {
  if (member_role == GroupRole::kOwner || group.workspace_id.empty()) return member_role;
  auto workspace_role = WorkspaceStore(store.database()).role_of(group.workspace_id, user_id);
  if (workspace_role && *workspace_role != WorkspaceRole::kMember) return GroupRole::kOwner;
  return member_role;
}

std::optional<PlacementRefusal> check_workspace_placement(GroupStore& store, const std::string& workspace_id,
                                                          const std::string& user_id, std::string_view field) {
  WorkspaceStore workspaces(store.database());
  if (!workspaces.workspace(workspace_id))
    return PlacementRefusal{core::ErrorCode::kResourceNotFound, std::string(field) + ": no workspace " + workspace_id};
  if (!workspaces.role_of(workspace_id, user_id))
    return PlacementRefusal{core::ErrorCode::kForbidden,
                            std::string(field) + ": you are not a member of workspace " + workspace_id};
  return std::nullopt;
}

}  // namespace qsip::server
