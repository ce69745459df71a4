#include "server/workspaces/workspace_permissions.hpp"

#include <array>

namespace qsip::server {

using core::ErrorCode;

namespace {

struct Row {
  WorkspaceAction action;
  bool needs_membership;                    // a non-member is refused with 4031
  std::optional<WorkspaceRole> least_role;  // a member below it is refused with 4014
};

constexpr std::array<Row, 10> kRows{{
    {WorkspaceAction::kCreate, false, std::nullopt},
    {WorkspaceAction::kDelete, true, WorkspaceRole::kOwner},
    {WorkspaceAction::kGet, false, std::nullopt},
    {WorkspaceAction::kList, false, std::nullopt},
    {WorkspaceAction::kInvite, true, WorkspaceRole::kAdmin},
    {WorkspaceAction::kJoin, false, std::nullopt},
    {WorkspaceAction::kLeave, false, std::nullopt},
    {WorkspaceAction::kSetRole, true, WorkspaceRole::kAdmin},
    {WorkspaceAction::kKick, true, WorkspaceRole::kAdmin},
    {WorkspaceAction::kListMembers, false, std::nullopt},
}};

constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i)
    if (static_cast<std::size_t>(kRows[i].action) != i) return false;
  return true;
}
static_assert(rows_in_enum_order());

int rank(WorkspaceRole role) { return static_cast<int>(role); }

}  // namespace

std::optional<WorkspaceRole> least_role(WorkspaceAction action) {
  return kRows[static_cast<std::size_t>(action)].least_role;
}

std::optional<ErrorCode> workspace_role_refusal(WorkspaceAction action, std::optional<WorkspaceRole> role) {
  const auto& r = kRows[static_cast<std::size_t>(action)];
  if (action == WorkspaceAction::kJoin && role) return ErrorCode::kInvalidActionForState;
  if (!role) return r.needs_membership ? std::optional(ErrorCode::kForbidden) : std::nullopt;
  if (r.least_role && rank(*role) < rank(*r.least_role)) return ErrorCode::kInsufficientPermissions;
  return std::nullopt;
}

bool outranks(WorkspaceRole actor, WorkspaceRole target) {
  return actor == WorkspaceRole::kOwner || rank(actor) > rank(target);
}

bool may_grant(WorkspaceRole actor, WorkspaceRole role) {
  return actor == WorkspaceRole::kOwner || rank(actor) > rank(role);
}

}  // namespace qsip::server
