// The permission matrix of docs/groups.md, as data and three small rules,
// so that the handler and the tests read the same table. What a role alone
// decides is here; what depends on the group's state (visibility, pending
// invitations and requests, the last owner) is in the actions.
#pragma once

#include <optional>
#include <string_view>

#include "core/error_registry.hpp"
#include "server/groups/group_role.hpp"

namespace qsip::server {

// The GROUP actions a client sends (draft 5.14 plus the join-request
// extension approve_join / deny_join). The server-originated actions
// (invited_to_group, member_joined ...) are not requests.
enum class GroupAction {
  kCreate, kUpdate, kDelete, kInvite, kJoin, kLeave, kKick, kSetRole,
  kGetInfo, kListMembers, kApproveJoin, kDenyJoin,
};

// nullopt for an action a client may not send (the server-originated ones).
std::optional<GroupAction> parse_group_action(std::string_view name);
std::string_view action_name(GroupAction action);

// The refusal the actor's standing alone earns (`role` nullopt: not a
// member), or nullopt when the action may go on to its state checks:
// - actions that need a role: a non-member gets 4031 Forbidden, a member
//   below the least role 4014 InsufficientPermissions;
// - join by a member: 4051 InvalidActionForState (already in);
// - create, and join / leave / get_info / list_members by non-members, are
//   decided by the group's state.
std::optional<core::ErrorCode> role_refusal(GroupAction action, std::optional<GroupRole> role);

// The least role an action needs from a member; nullopt when any member may.
std::optional<GroupRole> least_role(GroupAction action);

// Kick and set_role act on another member: an owner acts on anyone (other
// owners included, owners are peers); anyone else only on lower ranks.
bool outranks(GroupRole actor, GroupRole target);

// set_role: an owner grants any role; an admin only roles below its own.
bool may_grant(GroupRole actor, GroupRole role);

}  // namespace qsip::server
