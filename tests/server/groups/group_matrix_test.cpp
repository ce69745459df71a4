// The permission matrix as the actions enforce it over a real store: every
// action by every standing (owner, admin, moderator, member, outsider) on a
// fresh group, answered as docs/groups.md "Permissions" says, in a private
// group and in a public one.
#include <gtest/gtest.h>

#include <optional>

#include "group_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::GroupFixture;

namespace {

using Expect = std::optional<ErrorCode>;
constexpr Expect kOk = std::nullopt;
constexpr Expect k4014 = ErrorCode::kInsufficientPermissions;
constexpr Expect k4031 = ErrorCode::kForbidden;
constexpr Expect k4051 = ErrorCode::kInvalidActionForState;

struct Row {
  GroupAction action;
  Expect by[5];  // owner, admin, moderator, member, outsider
};

constexpr const char* kActors[5] = {"u-owner", "u-admin", "u-mod", "u-member", "u-out"};

// The request each row sends: the target is a plain member, the invitee
// has an account and no standing, the requester's join request waits.
GroupRequest request_for(GroupAction action, const std::string& actor, const std::string& group_id) {
  GroupRequest r;
  r.user_id = actor;
  r.message_id = "m-1";
  r.action = action;
  r.group_id = group_id;
  switch (action) {
    case GroupAction::kUpdate: r.name = "Renamed"; break;
    case GroupAction::kInvite: r.members = {"u-new"}; break;
    case GroupAction::kKick: r.target_user_id = "u-target"; break;
    case GroupAction::kSetRole:
      r.target_user_id = "u-target";
      r.role = GroupRole::kModerator;
      break;
    case GroupAction::kApproveJoin:
    case GroupAction::kDenyJoin: r.target_user_id = "u-req"; break;
    default: break;
  }
  return r;
}

class GroupMatrix : public GroupFixture {
 protected:
  void check(const Row (&rows)[11], bool is_public) {
    int n = 0;
    for (const auto& row : rows) {
      for (int who = 0; who < 5; ++who) {
        std::string id = "g-" + std::to_string(n++);
        make_group(id, is_public);
        SCOPED_TRACE(std::string(action_name(row.action)) + " by " + kActors[who]);
        auto outcome = act(request_for(row.action, kActors[who], id));
        EXPECT_EQ(outcome.error, row.by[who]) << outcome.detail;
        if (outcome.error) {
          EXPECT_FALSE(outcome.detail.empty());
          EXPECT_TRUE(outcome.notices.empty()) << "a refusal tells nobody";
        }
      }
    }
  }
};

}  // namespace

TEST_F(GroupMatrix, EveryActionByEveryStandingInAPrivateGroup) {
  const Row rows[11] = {
      {GroupAction::kUpdate, {kOk, kOk, k4014, k4014, k4031}},
      {GroupAction::kDelete, {kOk, k4014, k4014, k4014, k4031}},
      {GroupAction::kInvite, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kJoin, {k4051, k4051, k4051, k4051, k4031}},  // private, no invitation
      {GroupAction::kLeave, {k4051, kOk, kOk, kOk, k4051}},      // the owner is the last owner
      {GroupAction::kKick, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kSetRole, {kOk, kOk, k4014, k4014, k4031}},
      {GroupAction::kGetInfo, {kOk, kOk, kOk, kOk, k4031}},
      {GroupAction::kListMembers, {kOk, kOk, kOk, kOk, k4031}},
      {GroupAction::kApproveJoin, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kDenyJoin, {kOk, kOk, kOk, k4014, k4031}},
  };
  check(rows, /*is_public=*/false);
}

TEST_F(GroupMatrix, EveryActionByEveryStandingInAPublicGroup) {
  const Row rows[11] = {
      {GroupAction::kUpdate, {kOk, kOk, k4014, k4014, k4031}},
      {GroupAction::kDelete, {kOk, k4014, k4014, k4014, k4031}},
      {GroupAction::kInvite, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kJoin, {k4051, k4051, k4051, k4051, kOk}},  // anyone joins a public group
      {GroupAction::kLeave, {k4051, kOk, kOk, kOk, k4051}},
      {GroupAction::kKick, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kSetRole, {kOk, kOk, k4014, k4014, k4031}},
      {GroupAction::kGetInfo, {kOk, kOk, kOk, kOk, kOk}},  // public: anyone reads
      {GroupAction::kListMembers, {kOk, kOk, kOk, kOk, kOk}},
      {GroupAction::kApproveJoin, {kOk, kOk, kOk, k4014, k4031}},
      {GroupAction::kDenyJoin, {kOk, kOk, kOk, k4014, k4031}},
  };
  check(rows, /*is_public=*/true);
}

TEST_F(GroupMatrix, KickActsOnlyOnLowerRanksOwnersOnAnyone) {
  struct Case {
    const char* actor;
    const char* target;
    Expect expect;
  };
  const Case cases[] = {
      {"u-owner", "u-admin", kOk},      {"u-owner", "u-mod", kOk},        {"u-owner", "u-member", kOk},
      {"u-owner", "u-owner2", kOk},     {"u-admin", "u-admin2", k4014},   {"u-admin", "u-owner", k4014},
      {"u-admin", "u-mod", kOk},        {"u-mod", "u-mod2", k4014},       {"u-mod", "u-admin", k4014},
      {"u-mod", "u-member", kOk},       {"u-owner", "u-out", k4051},      {"u-admin", "u-admin", ErrorCode::kMalformedPayload},
  };
  int n = 0;
  for (const auto& c : cases) {
    std::string id = "g-kick-" + std::to_string(n++);
    make_group(id);
    groups.set_member(id, "u-owner2", GroupRole::kOwner, 7);
    groups.set_member(id, "u-admin2", GroupRole::kAdmin, 7);
    groups.set_member(id, "u-mod2", GroupRole::kModerator, 7);
    auto r = request(c.actor, GroupAction::kKick, id);
    r.target_user_id = c.target;
    SCOPED_TRACE(std::string(c.actor) + " kicks " + c.target);
    auto o = act(r);
    EXPECT_EQ(o.error, c.expect) << o.detail;
    EXPECT_EQ(groups.role_of(id, c.target).has_value(), o.error.has_value() && std::string(c.target) != "u-out");
  }
}

TEST_F(GroupMatrix, SetRoleGrantsOnlyBelowTheActorAndKeepsAnOwner) {
  struct Case {
    const char* actor;
    const char* target;
    GroupRole role;
    Expect expect;
  };
  const Case cases[] = {
      {"u-owner", "u-member", GroupRole::kOwner, kOk},       // co-owners
      {"u-owner", "u-admin", GroupRole::kMember, kOk},
      {"u-owner", "u-owner", GroupRole::kAdmin, k4051},      // the last owner
      {"u-admin", "u-member", GroupRole::kModerator, kOk},
      {"u-admin", "u-mod", GroupRole::kMember, kOk},
      {"u-admin", "u-member", GroupRole::kAdmin, k4014},     // grants only below its own
      {"u-admin", "u-admin", GroupRole::kMember, k4014},     // not below itself
      {"u-admin", "u-owner", GroupRole::kMember, k4014},
      {"u-owner", "u-out", GroupRole::kMember, k4051},       // not a member
  };
  int n = 0;
  for (const auto& c : cases) {
    std::string id = "g-role-" + std::to_string(n++);
    make_group(id);
    auto r = request(c.actor, GroupAction::kSetRole, id);
    r.target_user_id = c.target;
    r.role = c.role;
    SCOPED_TRACE(std::string(c.actor) + " makes " + c.target + " " + std::string(role_name(c.role)));
    auto o = act(r);
    EXPECT_EQ(o.error, c.expect) << o.detail;
    if (!o.error) {
      EXPECT_EQ(groups.role_of(id, c.target), c.role);
    }
  }
}

TEST_F(GroupMatrix, AnOwnerWithACoOwnerMayStepDownAndLeave) {
  make_group("g");
  groups.set_member("g", "u-owner2", GroupRole::kOwner, 7);
  auto r = request("u-owner", GroupAction::kSetRole, "g");
  r.target_user_id = "u-owner";
  r.role = GroupRole::kAdmin;
  EXPECT_FALSE(act(r).error);
  EXPECT_EQ(act(request("u-owner2", GroupAction::kLeave, "g")).error, ErrorCode::kInvalidActionForState)
      << "now the last owner";
  EXPECT_FALSE(act(request("u-owner", GroupAction::kLeave, "g")).error);
}

TEST_F(GroupMatrix, AnUnknownGroupIsNotFoundForEveryAction) {
  make_group("g");
  for (auto action : {GroupAction::kUpdate, GroupAction::kDelete, GroupAction::kInvite, GroupAction::kJoin,
                      GroupAction::kLeave, GroupAction::kKick, GroupAction::kSetRole, GroupAction::kGetInfo,
                      GroupAction::kListMembers, GroupAction::kApproveJoin, GroupAction::kDenyJoin}) {
    auto o = act(request_for(action, "u-owner", "g-nowhere"));
    EXPECT_EQ(o.error, ErrorCode::kGroupNotFound) << action_name(action);
    EXPECT_EQ(o.detail, "payload.group_id: no group g-nowhere");
  }
}
