// The channel permission matrix (docs/groups.md "Channels"): delete, join
// and leave by every standing in a channel of a workspace (owner, admin,
// moderator, member, an outsider who is a workspace member, a workspace
// admin who is not a member, a user outside the workspace), public and
// private; create and list rules.
#include <gtest/gtest.h>

#include <optional>

#include "workspace_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::WorkspaceFixture;

namespace {

using Expect = std::optional<ErrorCode>;
constexpr Expect kOk = std::nullopt;
constexpr Expect k4014 = ErrorCode::kInsufficientPermissions;
constexpr Expect k4031 = ErrorCode::kForbidden;
constexpr Expect k4051 = ErrorCode::kInvalidActionForState;

constexpr int kStandings = 7;
constexpr const char* kActors[kStandings] = {"u-gowner", "u-cadmin", "u-cmod", "u-wmember",
                                             "u-wtarget", "u-wadmin", "u-wout"};

struct Row {
  ChannelAction action;
  Expect by[kStandings];
};

class ChannelMatrix : public WorkspaceFixture {
 protected:
  ChannelMatrix() { make_workspace("w"); }

  void make_channel(const std::string& id, bool is_public) {
    make_conversation(id, "w", true, is_public);
    groups.set_member(id, "u-cadmin", GroupRole::kAdmin, 3);
    groups.set_member(id, "u-cmod", GroupRole::kModerator, 4);
  }

  void check(const Row (&rows)[3], bool is_public) {
    int n = 0;
    for (const auto& row : rows)
      for (int who = 0; who < kStandings; ++who) {
        std::string id = "c-" + std::to_string(n++);
        make_channel(id, is_public);
        SCOPED_TRACE(std::string(action_name(row.action)) + " by " + kActors[who]);
        auto outcome = channel(channel_request(kActors[who], row.action, id));
        EXPECT_EQ(outcome.error, row.by[who]) << outcome.detail;
        if (outcome.error) {
          EXPECT_EQ(outcome.detail.rfind("payload.", 0), 0u) << outcome.detail;
          EXPECT_EQ(outcome.detail.find("group_id"), std::string::npos) << "a channel's field is channel_id";
          EXPECT_TRUE(outcome.notices.empty());
        } else {
          EXPECT_NE(outcome.receipt_json.find("\"channel_id\":\"" + id + "\""), std::string::npos);
        }
      }
  }
};

}  // namespace

TEST_F(ChannelMatrix, PublicChannelOfAWorkspace) {
  const Row rows[3] = {
      {ChannelAction::kDelete, {kOk, k4014, k4014, k4014, k4031, kOk, k4031}},
      {ChannelAction::kJoin, {k4051, k4051, k4051, k4051, kOk, kOk, k4031}},  // outside the workspace: 4031
      {ChannelAction::kLeave, {k4051, kOk, kOk, kOk, k4051, k4051, k4051}},   // the owner is the last owner
  };
  check(rows, true);
}

TEST_F(ChannelMatrix, PrivateChannelOfAWorkspace) {
  const Row rows[3] = {
      {ChannelAction::kDelete, {kOk, k4014, k4014, k4014, k4031, kOk, k4031}},
      {ChannelAction::kJoin, {k4051, k4051, k4051, k4051, k4031, k4031, k4031}},  // takes an invitation
      {ChannelAction::kLeave, {k4051, kOk, kOk, kOk, k4051, k4051, k4051}},
  };
  check(rows, false);
}

TEST_F(ChannelMatrix, PrivateChannelTakesAGroupInvitation) {
  make_channel("c-priv", false);
  auto invite = group_request("u-gowner", GroupAction::kInvite, "c-priv");
  invite.members = {"u-wout"};
  ASSERT_FALSE(group(invite).error) << "GROUP invite works on a channel id";
  auto joined = channel(channel_request("u-wout", ChannelAction::kJoin, "c-priv"));
  ASSERT_FALSE(joined.error) << joined.detail;
  EXPECT_EQ(groups.role_of("c-priv", "u-wout"), GroupRole::kMember);
}

TEST_F(ChannelMatrix, CreateRules) {
  auto create = channel_request("u-wout", ChannelAction::kCreate, "c-new");
  create.name = "New";
  create.description = "About things";
  auto made = channel(create);
  ASSERT_FALSE(made.error) << made.detail;
  auto stored = groups.group("c-new");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->is_channel);
  EXPECT_TRUE(stored->is_public) << "channels are public by default";
  EXPECT_EQ(stored->topic, "About things");
  EXPECT_EQ(groups.role_of("c-new", "u-wout"), GroupRole::kOwner);
  ASSERT_EQ(made.audits.size(), 1u);
  EXPECT_EQ(made.audits[0].event_type, "channel_created");
  EXPECT_EQ(made.audits[0].target_resource_id, "c-new");

  auto again = channel(create);
  EXPECT_EQ(again.error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(again.detail.rfind("payload.channel_id", 0), 0u);

  auto in_unknown = channel_request("u-wmember", ChannelAction::kCreate, "c-2");
  in_unknown.workspace_id = "w-none";
  EXPECT_EQ(channel(in_unknown).error, ErrorCode::kResourceNotFound);
  auto not_member = channel_request("u-wout", ChannelAction::kCreate, "c-3");
  not_member.workspace_id = "w";
  EXPECT_EQ(channel(not_member).error, ErrorCode::kForbidden);
  auto member = channel_request("u-wmember", ChannelAction::kCreate, "c-4");
  member.workspace_id = "w";
  member.is_public = false;
  ASSERT_FALSE(channel(member).error);
  EXPECT_FALSE(groups.group("c-4")->is_public);
}

TEST_F(ChannelMatrix, ChannelActionsOnAGroupOrNothingAre4042) {
  make_conversation("g-plain", "w", false, true);
  for (auto action : {ChannelAction::kDelete, ChannelAction::kJoin, ChannelAction::kLeave}) {
    EXPECT_EQ(channel(channel_request("u-gowner", action, "g-plain")).error, ErrorCode::kGroupNotFound);
    auto none = channel(channel_request("u-gowner", action, "c-none"));
    EXPECT_EQ(none.error, ErrorCode::kGroupNotFound);
    EXPECT_EQ(none.detail.rfind("payload.channel_id", 0), 0u);
  }
}

TEST_F(ChannelMatrix, ListShowsOwnAndVisibleChannelsPaged) {
  make_workspace("w-other");
  make_conversation("c-a-public-w", "w", true, true);
  make_conversation("c-b-private-w", "w", true, false);
  make_conversation("c-c-public-other", "w-other", true, true);
  make_conversation("c-d-public-none", "", true, true);
  make_conversation("c-e-private-none", "", true, false);
  make_conversation("g-f-group", "", false, true);
  workspaces.remove_member("w-other", "u-wtarget");

  auto list = channel_request("u-wtarget", ChannelAction::kList, "");
  auto page = channel(list);
  ASSERT_FALSE(page.error);
  EXPECT_NE(page.data_json.find("c-a-public-w"), std::string::npos);
  EXPECT_EQ(page.data_json.find("c-b-private-w"), std::string::npos);
  EXPECT_EQ(page.data_json.find("c-c-public-other"), std::string::npos) << "not a member of w-other";
  EXPECT_NE(page.data_json.find("c-d-public-none"), std::string::npos);
  EXPECT_EQ(page.data_json.find("c-e-private-none"), std::string::npos);
  EXPECT_EQ(page.data_json.find("g-f-group"), std::string::npos) << "groups are not channels";

  // u-wmember is a member of all of them (make_conversation): paging by 2.
  auto first = channel_request("u-wmember", ChannelAction::kList, "");
  first.limit = 2;
  auto one = channel(first);
  EXPECT_NE(one.data_json.find("\"has_more\":true"), std::string::npos);
  EXPECT_NE(one.data_json.find("\"next_cursor\":\"c-b-private-w\""), std::string::npos) << one.data_json;
  first.cursor = "c-b-private-w";
  first.limit = 10;
  auto two = channel(first);
  EXPECT_NE(two.data_json.find("c-c-public-other"), std::string::npos);
  EXPECT_NE(two.data_json.find("c-e-private-none"), std::string::npos);
  EXPECT_EQ(two.data_json.find("c-a-public-w"), std::string::npos);
  EXPECT_NE(two.data_json.find("\"has_more\":false"), std::string::npos);

  auto in_w = channel_request("u-wmember", ChannelAction::kList, "");
  in_w.workspace_id = "w";
  auto filtered = channel(in_w);
  EXPECT_NE(filtered.data_json.find("c-b-private-w"), std::string::npos);
  EXPECT_EQ(filtered.data_json.find("c-d-public-none"), std::string::npos);
}
