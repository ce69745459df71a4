// Who may act on a group or channel beyond its own members: the admins and
// owners of the workspace it belongs to act as its owners (docs/groups.md
// "Workspaces"), even when they are not members. One function decides it,
// used by every GROUP and CHANNEL action whose answer depends on a role, and
// open to other modules (moderation) for the same question.
#pragma once

#include <optional>
#include <string>

#include "core/error_registry.hpp"
#include "server/groups/group_role.hpp"
#include "server/groups/group_store.hpp"

namespace qsip::server {

// The role that decides what `user_id` may do in `group`: its role as a
// member, raised to owner when it is an admin or owner of the group's
// workspace; nullopt for a non-member with no such standing.
std::optional<GroupRole> effective_role(GroupStore& store, const GroupRecord& group, const std::string& user_id);

// The same for a user already known not to hold `member_role` (nullopt: not a member).
std::optional<GroupRole> effective_role(GroupStore& store, const GroupRecord& group, const std::string& user_id,
                                        std::optional<GroupRole> member_role);

struct PlacementRefusal {
  core::ErrorCode code;
  std::string detail;
};

// A group or channel placed in `workspace_id` (create, update): the
// workspace must exist (4045) and `user_id` must be one of its members
// (4031). `field` names the request's field in the detail.
std::optional<PlacementRefusal> check_workspace_placement(GroupStore& store, const std::string& workspace_id,
                                                          const std::string& user_id, std::string_view field);

}  // namespace qsip::server
