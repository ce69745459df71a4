// The workspace-admin rule (docs/groups.md "Workspaces"): the admins and
// owners of a workspace act as owners of every group and channel in it,
// members or not; plain workspace members do not, and the rule stops at
// the workspace's edge. effective_role() is the one place that decides it.
#include <gtest/gtest.h>

#include "server/groups/group_authority.hpp"
#include "workspace_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::WorkspaceFixture;

class WorkspaceAdminRule : public WorkspaceFixture {
 protected:
  WorkspaceAdminRule() {
    make_workspace("w");
    make_workspace("w-other");
    make_conversation("g-in", "w", false, false);
    make_conversation("g-out", "w-other", false, false);
    groups.set_member("g-in", "u-wtarget", GroupRole::kMember, 3);
    groups.request_join("g-in", "u-new", 4);
    workspaces.remove_member("w-other", "u-wadmin");
  }
};

TEST_F(WorkspaceAdminRule, EffectiveRole) {
  auto in = *groups.group("g-in");
  auto out = *groups.group("g-out");
  EXPECT_EQ(effective_role(groups, in, "u-wadmin"), GroupRole::kOwner);
  EXPECT_EQ(effective_role(groups, in, "u-wowner"), GroupRole::kOwner);
  EXPECT_EQ(effective_role(groups, in, "u-wmember"), GroupRole::kMember) << "its own role in the group";
  EXPECT_EQ(effective_role(groups, in, "u-wout"), std::nullopt);
  EXPECT_EQ(effective_role(groups, out, "u-wadmin"), std::nullopt) << "not an admin of that workspace";
}

TEST_F(WorkspaceAdminRule, AdministersAGroupItIsNotAMemberOf) {
  auto update = group_request("u-wadmin", GroupAction::kUpdate, "g-in");
  update.name = "Renamed by the workspace admin";
  EXPECT_FALSE(group(update).error);
  auto invite = group_request("u-wadmin", GroupAction::kInvite, "g-in");
  invite.members = {"u-wout"};
  EXPECT_FALSE(group(invite).error);
  auto role = group_request("u-wadmin", GroupAction::kSetRole, "g-in");
  role.target_user_id = "u-wmember";
  role.role = GroupRole::kAdmin;
  auto promoted = group(role);
  EXPECT_FALSE(promoted.error) << promoted.detail;
  ASSERT_EQ(promoted.audits.size(), 1u);
  EXPECT_EQ(promoted.audits[0].event_type, "role_changed");
  EXPECT_NE(promoted.audits[0].details_json.find("\"role\":\"admin\""), std::string::npos);
  auto approve = group_request("u-wadmin", GroupAction::kApproveJoin, "g-in");
  approve.target_user_id = "u-new";
  EXPECT_FALSE(group(approve).error);
  auto kick = group_request("u-wadmin", GroupAction::kKick, "g-in");
  kick.target_user_id = "u-gowner";
  EXPECT_FALSE(group(kick).error) << "owners act on owners";
  auto info = group(group_request("u-wadmin", GroupAction::kGetInfo, "g-in"));
  EXPECT_FALSE(info.error);
  EXPECT_FALSE(groups.role_of("g-in", "u-wadmin")) << "all this without becoming a member";
  auto removed = group(group_request("u-wadmin", GroupAction::kDelete, "g-in"));
  EXPECT_FALSE(removed.error);
  EXPECT_FALSE(groups.group("g-in"));
  ASSERT_EQ(removed.audits.size(), 1u);
  EXPECT_EQ(removed.audits[0].event_type, "group_deleted");
}

TEST_F(WorkspaceAdminRule, PlainMembersAndOtherWorkspacesDoNot) {
  auto update = group_request("u-wtarget", GroupAction::kUpdate, "g-in");
  update.name = "x";
  EXPECT_EQ(group(update).error, ErrorCode::kInsufficientPermissions) << "a member of the group, a plain one";
  auto outsider = group_request("u-wadmin", GroupAction::kUpdate, "g-out");
  outsider.name = "x";
  EXPECT_EQ(group(outsider).error, ErrorCode::kForbidden);
  EXPECT_EQ(group(group_request("u-wadmin", GroupAction::kJoin, "g-in")).error, ErrorCode::kForbidden)
      << "joining a private group still takes an invitation";
}

TEST_F(WorkspaceAdminRule, GroupsPlacedInAWorkspaceNeedItsMembership) {
  auto create = group_request("u-wout", GroupAction::kCreate, "");
  create.workspace_id = "w";
  EXPECT_EQ(group(create).error, ErrorCode::kForbidden);
  create.workspace_id = "w-none";
  auto unknown = group(create);
  EXPECT_EQ(unknown.error, ErrorCode::kResourceNotFound);
  EXPECT_EQ(unknown.detail.rfind("payload.workspace_id", 0), 0u);
  create.user_id = "u-wmember";
  create.workspace_id = "w";
  auto made = group(create);
  ASSERT_FALSE(made.error);
  ASSERT_EQ(made.audits.size(), 1u);
  EXPECT_EQ(made.audits[0].event_type, "group_created");
  auto move = group_request("u-gowner", GroupAction::kUpdate, "g-in");
  move.workspace_id = "w-other";
  EXPECT_EQ(group(move).error, ErrorCode::kForbidden) << "u-gowner is not in w-other";
}
