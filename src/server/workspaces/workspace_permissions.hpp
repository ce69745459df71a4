// The workspace permission matrix of docs/groups.md "Workspaces", as data:
// what a role alone decides. What depends on state (visibility,
// invitations, the last owner) is in the actions.
#pragma once

#include <optional>

#include "core/error_registry.hpp"
#include "server/workspaces/workspace_request.hpp"
#include "server/workspaces/workspace_role.hpp"

namespace qsip::server {

// The refusal the actor's standing alone earns (`role` nullopt: not a
// member), or nullopt when the action goes on to its state checks: a
// non-member is refused 4031 for members' actions, a member below the
// least role 4014, a member joining 4051.
std::optional<core::ErrorCode> workspace_role_refusal(WorkspaceAction action, std::optional<WorkspaceRole> role);

// The least role an action needs from a member; nullopt when any member may.
std::optional<WorkspaceRole> least_role(WorkspaceAction action);

// kick, set_role: an owner acts on anyone; an admin only on members.
bool outranks(WorkspaceRole actor, WorkspaceRole target);
// set_role: an owner grants any role; an admin only roles below its own.
bool may_grant(WorkspaceRole actor, WorkspaceRole role);

}  // namespace qsip::server
