// Workspace actions beyond the matrix: create, invitations, joining,
// leaving and being kicked (which leave the workspace's groups and
// channels), deleting (which deletes them), get and list contents, audit
// events, and who is told.
#include <gtest/gtest.h>

#include <set>

#include "workspace_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::WorkspaceFixture;

namespace {

std::set<std::string> told(const std::vector<GroupNotice>& notices, const std::string& action) {
  for (const auto& n : notices)
    if (n.payload_json.find("\"action\":\"" + action + "\"") != std::string::npos)
      return {n.recipients.begin(), n.recipients.end()};
  return {};
}

}  // namespace

TEST_F(WorkspaceFixture, CreateMakesTheCreatorOwnerAndRefusesATakenId) {
  auto create = request("u-wout", WorkspaceAction::kCreate, "w-new");
  create.name = "New";
  create.description = "A workspace";
  auto made = act(create);
  ASSERT_FALSE(made.error) << made.detail;
  EXPECT_NE(made.receipt_json.find("\"role\":\"owner\""), std::string::npos);
  EXPECT_EQ(workspaces.role_of("w-new", "u-wout"), WorkspaceRole::kOwner);
  EXPECT_FALSE(workspaces.workspace("w-new")->is_public) << "private by default";
  ASSERT_EQ(made.audits.size(), 1u);
  EXPECT_EQ(made.audits[0].event_type, "workspace_created");
  EXPECT_EQ(made.audits[0].target_resource_type, "workspace");
  auto again = act(create);
  EXPECT_EQ(again.error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(again.detail.rfind("payload.workspace_id", 0), 0u);
}

TEST_F(WorkspaceFixture, InvitationThenJoinTellsEveryMember) {
  make_workspace("w");
  auto invite = request("u-wadmin", WorkspaceAction::kInvite, "w");
  invite.members = {"u-new"};
  auto invited = act(invite);
  ASSERT_FALSE(invited.error);
  EXPECT_EQ(told(invited.notices, "invited_to_workspace"), std::set<std::string>{"u-new"});
  invite.members = {"u-nobody"};
  EXPECT_EQ(act(invite).error, ErrorCode::kUserNotFound);
  invite.members = {"u-wmember"};
  EXPECT_EQ(act(invite).error, ErrorCode::kInvalidActionForState);

  EXPECT_FALSE(act(request("u-new", WorkspaceAction::kGet, "w")).error) << "an invitee sees a private workspace";
  auto joined = act(request("u-new", WorkspaceAction::kJoin, "w"));
  ASSERT_FALSE(joined.error);
  EXPECT_EQ(told(joined.notices, "member_joined"),
            (std::set<std::string>{"u-new", "u-wadmin", "u-wmember", "u-wowner", "u-wtarget"}));
  EXPECT_FALSE(workspaces.is_invited("w", "u-new"));
}

TEST_F(WorkspaceFixture, LeavingOrBeingKickedLeavesTheWorkspacesGroupsAndChannels) {
  make_workspace("w");
  make_conversation("c-1", "w", true, true);
  make_conversation("g-1", "w", false, false);
  make_conversation("g-elsewhere", "", false, false);
  auto left = act(request("u-wmember", WorkspaceAction::kLeave, "w"));
  ASSERT_FALSE(left.error) << left.detail;
  EXPECT_FALSE(groups.role_of("c-1", "u-wmember"));
  EXPECT_FALSE(groups.role_of("g-1", "u-wmember"));
  EXPECT_TRUE(groups.role_of("g-elsewhere", "u-wmember")) << "groups outside the workspace stay";
  EXPECT_EQ(left.group_notices.size(), 2u);
  EXPECT_EQ(told(left.notices, "member_left"),
            (std::set<std::string>{"u-wmember", "u-wadmin", "u-wowner", "u-wtarget"}));

  groups.set_member("c-1", "u-wtarget", GroupRole::kMember, 9);
  auto kick = request("u-wadmin", WorkspaceAction::kKick, "w");
  kick.target_user_id = "u-wtarget";
  auto kicked = act(kick);
  ASSERT_FALSE(kicked.error);
  EXPECT_FALSE(groups.role_of("c-1", "u-wtarget"));
  EXPECT_NE(kicked.group_notices.at(0).payload_json.find("\"reason\":\"kicked\""), std::string::npos);
}

TEST_F(WorkspaceFixture, DeletingAWorkspaceDeletesItsGroupsAndChannels) {
  make_workspace("w");
  make_conversation("c-1", "w", true, true);
  make_conversation("g-1", "w", false, false);
  groups.invite("g-1", "u-new", "u-gowner", 5);
  auto removed = act(request("u-wowner", WorkspaceAction::kDelete, "w"));
  ASSERT_FALSE(removed.error) << removed.detail;
  EXPECT_FALSE(workspaces.workspace("w"));
  EXPECT_TRUE(workspaces.id_taken("w")) << "a tombstone keeps the id";
  EXPECT_FALSE(groups.group("c-1"));
  EXPECT_FALSE(groups.group("g-1"));
  EXPECT_EQ(removed.group_notices.size(), 2u);
  EXPECT_EQ(told(removed.group_notices, "group_deleted").count("u-wmember"), 1u);
  std::set<std::string> events;
  for (const auto& a : removed.audits) events.insert(a.event_type);
  EXPECT_EQ(events, (std::set<std::string>{"channel_deleted", "group_deleted", "workspace_deleted"}));
  EXPECT_EQ(told(removed.notices, "workspace_deleted"),
            (std::set<std::string>{"u-wadmin", "u-wmember", "u-wowner", "u-wtarget"}));
  EXPECT_EQ(act(request("u-wowner", WorkspaceAction::kGet, "w")).error, ErrorCode::kResourceNotFound);
  EXPECT_EQ(act(request("u-wowner", WorkspaceAction::kCreate, "w")).error, ErrorCode::kInvalidActionForState);
}

TEST_F(WorkspaceFixture, SetRoleAuditsAndKeepsAnOwner) {
  make_workspace("w");
  auto promote = request("u-wowner", WorkspaceAction::kSetRole, "w");
  promote.target_user_id = "u-wmember";
  promote.role = WorkspaceRole::kAdmin;
  auto done = act(promote);
  ASSERT_FALSE(done.error);
  EXPECT_EQ(workspaces.role_of("w", "u-wmember"), WorkspaceRole::kAdmin);
  ASSERT_EQ(done.audits.size(), 1u);
  EXPECT_EQ(done.audits[0].event_type, "role_changed");
  EXPECT_NE(done.audits[0].details_json.find("\"previous_role\":\"member\""), std::string::npos);
  EXPECT_EQ(told(done.notices, "role_changed").size(), 4u);
  auto again = act(promote);
  EXPECT_FALSE(again.error);
  EXPECT_TRUE(again.notices.empty()) << "the same role again tells nobody";
  auto step_down = request("u-wowner", WorkspaceAction::kSetRole, "w");
  step_down.target_user_id = "u-wowner";
  step_down.role = WorkspaceRole::kMember;
  EXPECT_EQ(act(step_down).error, ErrorCode::kInvalidActionForState);
}

TEST_F(WorkspaceFixture, GetAndListShowWhatTheAskerMaySee) {
  make_workspace("w");
  make_workspace("w-2", true);
  make_conversation("c-public", "w", true, true);
  make_conversation("g-private", "w", false, false);
  groups.remove_member("g-private", "u-wmember");
  auto as_member = act(request("u-wtarget", WorkspaceAction::kGet, "w"));
  ASSERT_FALSE(as_member.error);
  EXPECT_NE(as_member.data_json.find("\"role\":\"member\""), std::string::npos);
  EXPECT_NE(as_member.data_json.find("\"member_count\":4"), std::string::npos);
  EXPECT_NE(as_member.data_json.find("c-public"), std::string::npos);
  EXPECT_EQ(as_member.data_json.find("g-private"), std::string::npos);
  auto as_admin = act(request("u-wadmin", WorkspaceAction::kGet, "w"));
  EXPECT_NE(as_admin.data_json.find("g-private"), std::string::npos) << "admins see every group";
  EXPECT_NE(as_admin.data_json.find("\"workspace_info\":{\"name\":\"Workspace w\""), std::string::npos);

  auto list = request("u-wtarget", WorkspaceAction::kList, "");
  list.limit = 1;
  auto page = act(list);
  ASSERT_FALSE(page.error);
  EXPECT_NE(page.data_json.find("\"workspace_id\":\"w\""), std::string::npos);
  EXPECT_NE(page.data_json.find("\"next_cursor\":\"w\""), std::string::npos);
  list.cursor = "w";
  EXPECT_NE(act(list).data_json.find("\"workspace_id\":\"w-2\""), std::string::npos);
  EXPECT_NE(act(request("u-wout", WorkspaceAction::kList, "")).data_json.find("\"workspaces\":[]"), std::string::npos);

  auto members = request("u-wowner", WorkspaceAction::kListMembers, "w");
  members.limit = 2;
  auto first = act(members);
  EXPECT_NE(first.data_json.find("\"members\":[\"u-wadmin\",\"u-wmember\"]"), std::string::npos) << first.data_json;
  EXPECT_NE(first.data_json.find("\"total\":4"), std::string::npos);
}

TEST_F(WorkspaceFixture, DecliningAnInvitationAndLeavingWithoutOne) {
  make_workspace("w");
  workspaces.invite("w", "u-new", "u-wowner", 5);
  EXPECT_FALSE(act(request("u-new", WorkspaceAction::kLeave, "w")).error);
  EXPECT_FALSE(workspaces.is_invited("w", "u-new"));
  EXPECT_EQ(act(request("u-new", WorkspaceAction::kLeave, "w")).error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(act(request("u-new", WorkspaceAction::kJoin, "w")).error, ErrorCode::kForbidden);
}
