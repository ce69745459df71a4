#include "server/groups/group_permissions.hpp"

#include <array>

namespace qsip::server {

using core::ErrorCode;

namespace {

struct ActionRow {
  GroupAction action;
  std::string_view name;
  bool needs_membership;               // a non-member is refused with 4031
  std::optional<GroupRole> least_role;  // a member below it is refused with 4014
};

// The matrix (docs/groups.md "Permissions"), one row per action.
constexpr std::array<ActionRow, 12> kRows{{
    {GroupAction::kCreate, "create", false, std::nullopt},
    {GroupAction::kUpdate, "update", true, GroupRole::kAdmin},
    {GroupAction::kDelete, "delete", true, GroupRole::kOwner},
    {GroupAction::kInvite, "invite", true, GroupRole::kModerator},
    {GroupAction::kJoin, "join", false, std::nullopt},
    {GroupAction::kLeave, "leave", false, std::nullopt},
    {GroupAction::kKick, "kick", true, GroupRole::kModerator},
    {GroupAction::kSetRole, "set_role", true, GroupRole::kAdmin},
    {GroupAction::kGetInfo, "get_info", false, std::nullopt},
    {GroupAction::kListMembers, "list_members", false, std::nullopt},
    {GroupAction::kApproveJoin, "approve_join", true, GroupRole::kModerator},
    {GroupAction::kDenyJoin, "deny_join", true, GroupRole::kModerator},
}};

// row() indexes the table by the enum's value.
constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i)
    if (static_cast<std::size_t>(kRows[i].action) != i) return false;
  return true;
}
static_assert(rows_in_enum_order());

const ActionRow& row(GroupAction action) { return kRows[static_cast<std::size_t>(action)]; }

int rank(GroupRole role) { return static_cast<int>(role); }

}  // namespace

std::optional<GroupAction> parse_group_action(std::string_view name) {
  for (const auto& r : kRows)
    if (r.name == name) return r.action;
  return std::nullopt;
}

std::string_view action_name(GroupAction action) { return row(action).name; }

std::optional<GroupRole> least_role(GroupAction action) { return row(action).least_role; }

std::optional<ErrorCode> role_refusal(GroupAction action, std::optional<GroupRole> role) {
  const auto& r = row(action);
  if (action == GroupAction::kJoin && role) return ErrorCode::kInvalidActionForState;
  if (!role) return r.needs_membership ? std::optional(ErrorCode::kForbidden) : std::nullopt;
  if (r.least_role && rank(*role) < rank(*r.least_role)) return ErrorCode::kInsufficientPermissions;
  return std::nullopt;
}

bool outranks(GroupRole actor, GroupRole target) {
  return actor == GroupRole::kOwner || rank(actor) > rank(target);
}

bool may_grant(GroupRole actor, GroupRole role) { return actor == GroupRole::kOwner || rank(actor) > rank(role); }

}  // namespace qsip::server
