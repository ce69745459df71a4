// The permission matrix as data (group_permissions.hpp): what each role
// alone earns for each action, and the rank rules of kick and set_role.
#include "server/groups/group_permissions.hpp"

#include <gtest/gtest.h>

#include <optional>

using namespace qsip::server;
using qsip::core::ErrorCode;

namespace {

using Expect = std::optional<ErrorCode>;
constexpr Expect kAllowed = std::nullopt;
constexpr Expect k4014 = ErrorCode::kInsufficientPermissions;
constexpr Expect k4031 = ErrorCode::kForbidden;
constexpr Expect k4051 = ErrorCode::kInvalidActionForState;

struct Row {
  GroupAction action;
  Expect owner, admin, moderator, member, outsider;
};

// docs/groups.md "Permissions"; "allowed" here means "on to the state rules".
constexpr Row kMatrix[] = {
    {GroupAction::kCreate, kAllowed, kAllowed, kAllowed, kAllowed, kAllowed},
    {GroupAction::kUpdate, kAllowed, kAllowed, k4014, k4014, k4031},
    {GroupAction::kDelete, kAllowed, k4014, k4014, k4014, k4031},
    {GroupAction::kInvite, kAllowed, kAllowed, kAllowed, k4014, k4031},
    {GroupAction::kJoin, k4051, k4051, k4051, k4051, kAllowed},
    {GroupAction::kLeave, kAllowed, kAllowed, kAllowed, kAllowed, kAllowed},
    {GroupAction::kKick, kAllowed, kAllowed, kAllowed, k4014, k4031},
    {GroupAction::kSetRole, kAllowed, kAllowed, k4014, k4014, k4031},
    {GroupAction::kGetInfo, kAllowed, kAllowed, kAllowed, kAllowed, kAllowed},
    {GroupAction::kListMembers, kAllowed, kAllowed, kAllowed, kAllowed, kAllowed},
    {GroupAction::kApproveJoin, kAllowed, kAllowed, kAllowed, k4014, k4031},
    {GroupAction::kDenyJoin, kAllowed, kAllowed, kAllowed, k4014, k4031},
};

}  // namespace

TEST(GroupPermissions, EveryActionByEveryRole) {
  for (const auto& row : kMatrix) {
    SCOPED_TRACE(std::string(action_name(row.action)));
    EXPECT_EQ(role_refusal(row.action, GroupRole::kOwner), row.owner);
    EXPECT_EQ(role_refusal(row.action, GroupRole::kAdmin), row.admin);
    EXPECT_EQ(role_refusal(row.action, GroupRole::kModerator), row.moderator);
    EXPECT_EQ(role_refusal(row.action, GroupRole::kMember), row.member);
    EXPECT_EQ(role_refusal(row.action, std::nullopt), row.outsider);
  }
}

TEST(GroupPermissions, ActionsReadBackByName) {
  for (const auto& row : kMatrix) EXPECT_EQ(parse_group_action(action_name(row.action)), row.action);
  // The server-originated actions are not requests.
  for (const char* notice : {"invited_to_group", "member_joined", "member_left", "role_changed", "group_deleted",
                             "join_requested", "bogus"})
    EXPECT_FALSE(parse_group_action(notice)) << notice;
}

TEST(GroupPermissions, OwnersActOnAnyoneOthersOnlyBelowThemselves) {
  const GroupRole roles[] = {GroupRole::kMember, GroupRole::kModerator, GroupRole::kAdmin, GroupRole::kOwner};
  for (auto target : roles) EXPECT_TRUE(outranks(GroupRole::kOwner, target));
  EXPECT_TRUE(outranks(GroupRole::kAdmin, GroupRole::kModerator));
  EXPECT_TRUE(outranks(GroupRole::kAdmin, GroupRole::kMember));
  EXPECT_FALSE(outranks(GroupRole::kAdmin, GroupRole::kAdmin));
  EXPECT_FALSE(outranks(GroupRole::kAdmin, GroupRole::kOwner));
  EXPECT_TRUE(outranks(GroupRole::kModerator, GroupRole::kMember));
  EXPECT_FALSE(outranks(GroupRole::kModerator, GroupRole::kModerator));
  EXPECT_FALSE(outranks(GroupRole::kMember, GroupRole::kMember));
}

TEST(GroupPermissions, OwnersGrantAnyRoleAdminsOnlyLowerOnes) {
  EXPECT_TRUE(may_grant(GroupRole::kOwner, GroupRole::kOwner));
  EXPECT_TRUE(may_grant(GroupRole::kOwner, GroupRole::kAdmin));
  EXPECT_FALSE(may_grant(GroupRole::kAdmin, GroupRole::kOwner));
  EXPECT_FALSE(may_grant(GroupRole::kAdmin, GroupRole::kAdmin));
  EXPECT_TRUE(may_grant(GroupRole::kAdmin, GroupRole::kModerator));
  EXPECT_TRUE(may_grant(GroupRole::kAdmin, GroupRole::kMember));
}

TEST(GroupPermissions, RolesReadBackByName) {
  for (auto role : {GroupRole::kMember, GroupRole::kModerator, GroupRole::kAdmin, GroupRole::kOwner})
    EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_FALSE(parse_role("superuser"));
}
