// The GROUP state rules beyond the matrix (docs/groups.md): ids at create,
// invitations, join requests, the last owner, paging, and who is told what.
#include <gtest/gtest.h>

#include "group_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::GroupFixture;

namespace {
class GroupActions : public GroupFixture {};
using Users = std::set<std::string>;
}  // namespace

TEST_F(GroupActions, CreateConfirmsAFreeIdAndReplacesATakenOne) {
  auto r = request("u-owner", GroupAction::kCreate, "g-team");
  r.name = "Team";
  auto first = act(r);
  ASSERT_FALSE(first.error) << first.detail;
  EXPECT_EQ(first.receipt_json, R"({"group_id":"g-team","role":"owner","invited":[]})");
  EXPECT_EQ(groups.role_of("g-team", "u-owner"), GroupRole::kOwner);
  EXPECT_FALSE(groups.group("g-team")->is_public) << "private unless asked";

  r.user_id = "u-admin";
  auto second = act(r);
  ASSERT_FALSE(second.error);
  EXPECT_NE(second.receipt_json.find(R"("group_id":"g-assigned")"), std::string::npos) << second.receipt_json;
  EXPECT_EQ(groups.role_of("g-team", "u-admin"), std::nullopt) << "the first group is untouched";

  // No suggestion: the server's id.
  auto unnamed = request("u-owner", GroupAction::kCreate, "");
  unnamed.fallback_group_id = "g-drawn";
  auto none = act(unnamed);
  EXPECT_NE(none.receipt_json.find(R"("group_id":"g-drawn")"), std::string::npos) << none.receipt_json;
}

TEST_F(GroupActions, ADeletedGroupsIdIsNeverGivenAgain) {
  make_group("g-old");
  ASSERT_FALSE(act(request("u-owner", GroupAction::kDelete, "g-old")).error);
  EXPECT_FALSE(groups.group("g-old"));
  auto again = act(request("u-out", GroupAction::kCreate, "g-old"));
  ASSERT_FALSE(again.error);
  EXPECT_NE(again.receipt_json.find("g-assigned"), std::string::npos) << "its history is not the new group's";
}

TEST_F(GroupActions, CreateInvitesTheMembersItNamesAndTellsThem) {
  auto r = request("u-owner", GroupAction::kCreate, "g-new");
  r.members = {"u-owner", "u-new", "u-out"};  // the creator may list itself, as the draft's example does
  auto o = act(r);
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_EQ(groups.member_ids("g-new"), std::vector<std::string>{"u-owner"}) << "invited, not added";
  EXPECT_TRUE(groups.is_invited("g-new", "u-new"));
  EXPECT_EQ(told(o, "invited_to_group"), (Users{"u-new", "u-out"}));
  EXPECT_EQ(told(o, "member_joined"), (Users{"u-owner"})) << "the creator's other devices";
  EXPECT_NE(o.notices.back().payload_json.find(R"("inviter":"u-owner")"), std::string::npos);
}

TEST_F(GroupActions, AnUnknownInviteeRefusesTheWholeRequest) {
  auto r = request("u-owner", GroupAction::kCreate, "g-new");
  r.members = {"u-new", "u-ghost"};
  auto o = act(r);
  EXPECT_EQ(o.error, ErrorCode::kUserNotFound);
  EXPECT_EQ(o.detail, "payload.members: no user u-ghost");
  EXPECT_FALSE(groups.id_taken("g-new")) << "nothing written";

  make_group("g");
  auto invite = request("u-owner", GroupAction::kInvite, "g");
  invite.members = {"u-new", "u-ghost"};
  EXPECT_EQ(act(invite).error, ErrorCode::kUserNotFound);
  EXPECT_FALSE(groups.is_invited("g", "u-new"));
  invite.members = {"u-new", "u-member"};
  EXPECT_EQ(act(invite).error, ErrorCode::kInvalidActionForState) << "already a member";
  invite.members = {};
  EXPECT_EQ(act(invite).error, ErrorCode::kMalformedPayload);
}

TEST_F(GroupActions, AnInviteeJoinsAPrivateGroupAndEveryMemberIsTold) {
  make_group("g");
  EXPECT_EQ(act(request("u-new", GroupAction::kJoin, "g")).error, ErrorCode::kForbidden);
  auto invite = request("u-mod", GroupAction::kInvite, "g");
  invite.members = {"u-new"};
  auto invited = act(invite);
  ASSERT_FALSE(invited.error);
  EXPECT_EQ(told(invited, "invited_to_group"), (Users{"u-new"}));
  // Invitees may look at what they are invited to.
  EXPECT_FALSE(act(request("u-new", GroupAction::kGetInfo, "g")).error);
  auto joined = act(request("u-new", GroupAction::kJoin, "g"));
  ASSERT_FALSE(joined.error) << joined.detail;
  EXPECT_EQ(joined.receipt_json, R"({"group_id":"g","role":"member"})");
  EXPECT_EQ(told(joined, "member_joined"),
            (Users{"u-owner", "u-admin", "u-mod", "u-member", "u-target", "u-new"}));
  EXPECT_FALSE(groups.is_invited("g", "u-new")) << "the invitation is used up";
  EXPECT_EQ(act(request("u-new", GroupAction::kJoin, "g")).error, ErrorCode::kInvalidActionForState) << "twice";
}

TEST_F(GroupActions, LeaveDeclinesAnInvitationOrWithdrawsARequest) {
  make_group("g");
  groups.invite("g", "u-new", "u-owner", 1);
  auto declined = act(request("u-new", GroupAction::kLeave, "g"));
  EXPECT_FALSE(declined.error);
  EXPECT_TRUE(declined.notices.empty());
  EXPECT_FALSE(groups.is_invited("g", "u-new"));
  EXPECT_FALSE(act(request("u-req", GroupAction::kLeave, "g")).error);
  EXPECT_FALSE(groups.has_join_request("g", "u-req"));
  EXPECT_EQ(act(request("u-req", GroupAction::kLeave, "g")).error, ErrorCode::kInvalidActionForState);
}

TEST_F(GroupActions, JoinRequestsWaitForAModeratorOrAbove) {
  make_group("g", /*is_public=*/false, /*join_requests=*/true);
  auto asked = act(request("u-out", GroupAction::kJoin, "g"));
  ASSERT_FALSE(asked.error) << asked.detail;
  EXPECT_EQ(asked.status, "pending");
  EXPECT_EQ(told(asked, "join_requested"), (Users{"u-owner", "u-admin", "u-mod"}));
  EXPECT_FALSE(groups.role_of("g", "u-out"));

  auto approve = request("u-mod", GroupAction::kApproveJoin, "g");
  approve.target_user_id = "u-out";
  auto approved = act(approve);
  ASSERT_FALSE(approved.error) << approved.detail;
  EXPECT_EQ(groups.role_of("g", "u-out"), GroupRole::kMember);
  EXPECT_TRUE(told(approved, "member_joined").count("u-out"));
  EXPECT_NE(approved.notices[0].payload_json.find(R"("approved_by":"u-mod")"), std::string::npos);
  EXPECT_EQ(act(approve).error, ErrorCode::kInvalidActionForState) << "no request left";

  auto deny = request("u-admin", GroupAction::kDenyJoin, "g");
  deny.target_user_id = "u-req";
  auto denied = act(deny);
  ASSERT_FALSE(denied.error);
  EXPECT_EQ(told(denied, "deny_join"), (Users{"u-req"}));
  EXPECT_FALSE(groups.role_of("g", "u-req"));
  EXPECT_EQ(act(deny).error, ErrorCode::kInvalidActionForState);
}

TEST_F(GroupActions, UpdateChangesOnlyWhatItNamesAndTellsTheMembers) {
  make_group("g");
  auto r = request("u-admin", GroupAction::kUpdate, "g");
  r.topic = "new topic";
  r.is_public = true;
  auto o = act(r);
  ASSERT_FALSE(o.error) << o.detail;
  auto g = groups.group("g");
  EXPECT_EQ(g->name, "Group g");
  EXPECT_EQ(g->topic, "new topic");
  EXPECT_TRUE(g->is_public);
  EXPECT_EQ(told(o, "update"), (Users{"u-owner", "u-admin", "u-mod", "u-member", "u-target"}));
  EXPECT_EQ(act(request("u-admin", GroupAction::kUpdate, "g")).error, ErrorCode::kMalformedPayload) << "nothing to change";

  r.is_public.reset();
  r.settings_json = R"({"join_requests":true,"theme":"dark"})";
  r.join_requests = true;
  ASSERT_FALSE(act(r).error);
  EXPECT_TRUE(groups.group("g")->join_requests);
  EXPECT_EQ(groups.group("g")->settings_json, R"({"join_requests":true,"theme":"dark"})");
}

TEST_F(GroupActions, KickAndLeaveTellTheRemainingMembersAndTheOneWhoWent) {
  make_group("g");
  auto kick = request("u-mod", GroupAction::kKick, "g");
  kick.target_user_id = "u-target";
  auto kicked = act(kick);
  ASSERT_FALSE(kicked.error);
  EXPECT_EQ(told(kicked, "member_left"), (Users{"u-owner", "u-admin", "u-mod", "u-member", "u-target"}));
  EXPECT_NE(kicked.notices[0].payload_json.find(R"("reason":"kicked","by_user_id":"u-mod")"), std::string::npos)
      << kicked.notices[0].payload_json;
  auto left = act(request("u-member", GroupAction::kLeave, "g"));
  ASSERT_FALSE(left.error);
  EXPECT_EQ(told(left, "member_left"), (Users{"u-owner", "u-admin", "u-mod", "u-member"}));
  EXPECT_EQ(groups.member_ids("g"), (std::vector<std::string>{"u-admin", "u-mod", "u-owner"}));
}

TEST_F(GroupActions, SetRoleTellsEveryMemberOnceAndASameRoleIsANoOp) {
  make_group("g");
  auto r = request("u-owner", GroupAction::kSetRole, "g");
  r.target_user_id = "u-member";
  r.role = GroupRole::kAdmin;
  auto o = act(r);
  ASSERT_FALSE(o.error);
  EXPECT_EQ(told(o, "role_changed").size(), 5u);
  EXPECT_NE(o.notices[0].payload_json.find(R"("role":"admin","previous_role":"member")"), std::string::npos)
      << o.notices[0].payload_json;
  auto again = act(r);
  EXPECT_FALSE(again.error);
  EXPECT_TRUE(again.notices.empty());
}

TEST_F(GroupActions, DeleteTellsMembersInviteesAndRequesters) {
  make_group("g");
  groups.invite("g", "u-new", "u-owner", 1);
  auto o = act(request("u-owner", GroupAction::kDelete, "g"));
  ASSERT_FALSE(o.error);
  EXPECT_EQ(told(o, "group_deleted"),
            (Users{"u-owner", "u-admin", "u-mod", "u-member", "u-target", "u-new", "u-req"}));
  EXPECT_TRUE(groups.member_ids("g").empty());
  EXPECT_TRUE(groups.invitations_for("u-new").empty());
  EXPECT_EQ(act(request("u-owner", GroupAction::kGetInfo, "g")).error, ErrorCode::kGroupNotFound);
}

TEST_F(GroupActions, ListMembersPagesByOffsetAndByCursor) {
  make_group("g");  // u-admin u-member u-mod u-owner u-target
  auto r = request("u-member", GroupAction::kListMembers, "g");
  r.limit = 2;
  auto first = act(r);
  ASSERT_FALSE(first.error);
  EXPECT_NE(first.data_json.find(R"("members":["u-admin","u-member"])"), std::string::npos) << first.data_json;
  EXPECT_NE(first.data_json.find(R"("total":5,"limit":2,"offset":0,"has_more":true,"next_cursor":"u-member")"),
            std::string::npos)
      << first.data_json;
  EXPECT_NE(first.data_json.find(R"({"user_id":"u-admin","role":"admin","joined_at":)"), std::string::npos);

  r.offset = 4;
  auto last = act(r);
  EXPECT_NE(last.data_json.find(R"("members":["u-target"])"), std::string::npos) << last.data_json;
  EXPECT_NE(last.data_json.find(R"("has_more":false})"), std::string::npos) << last.data_json;

  // A cursor keeps its place while members come and go before it.
  r.offset = 0;
  r.cursor = "u-member";
  groups.remove_member("g", "u-admin");
  auto next = act(r);
  EXPECT_NE(next.data_json.find(R"("members":["u-mod","u-owner"])"), std::string::npos) << next.data_json;
}

TEST_F(GroupActions, GetInfoDescribesTheGroupAndTheAskersStanding) {
  make_group("g", /*is_public=*/true);
  auto member = act(request("u-mod", GroupAction::kGetInfo, "g"));
  ASSERT_FALSE(member.error);
  EXPECT_NE(member.data_json.find(R"("target_message_id":"m-1","action":"get_info","group_id":"g","name":"Group g")"),
            std::string::npos)
      << member.data_json;
  EXPECT_NE(member.data_json.find(R"("member_count":5,"role":"moderator")"), std::string::npos) << member.data_json;
  auto stranger = act(request("u-out", GroupAction::kGetInfo, "g"));
  EXPECT_NE(stranger.data_json.find(R"("invited":false)"), std::string::npos) << stranger.data_json;
}
