// Groups end to end (issue 6, draft 5.14, 16.3, Appendix A.2;
// docs/groups.md): the real qsipd over QUIC with libqsip clients. Three
// users (and more for paging); bob has two devices, so every notice to him
// is checked on the device that did not act.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "core/payload_builders.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using core::builders::GroupPayload;
using qsip::test::envelope;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;

namespace {

// A GROUP notice from the server with this action (and about this user).
std::function<bool(const Message&)> notice(std::string action, std::string about = {}) {
  return [action, about](const Message& m) {
    return m.type() == "GROUP" && m.payload_string("action") == action &&
           (about.empty() || m.payload_string("target_user_id") == about);
  };
}

std::vector<std::string> strings_of(const std::string& json_array) {
  simdjson::dom::parser parser;
  std::vector<std::string> out;
  for (auto item : parser.parse(json_array).get_array()) out.emplace_back(std::string_view(item.get_string()));
  return out;
}

// One user's connected, registered device.
struct Device {
  std::string user;
  std::string device;
  std::unique_ptr<Client> client;

  Message group(const core::ObjectBuilder& payload) const {
    return client->request(envelope("GROUP", user, device, payload.json())).get();
  }
};

class Groups : public qsip::test::SharedServerTest {
 protected:
  static Device device(const std::string& user, const std::string& device_id) {
    return Device{user, device_id, server_->connect_registered(user, device_id)};
  }
};

}  // namespace

TEST_F(Groups, CreateInviteJoinSetRoleKickAndLeaveWithEveryDeviceTold) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), gid = id("g-team");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto b2 = device(bob, "b2");
  auto c1 = device(carol, "c1");

  // A.2 step 1: create with members; the suggested id is confirmed.
  auto created = a1.group(GroupPayload().action("create").group_id(gid).name("Team Chat").topic("plans")
                              .members({alice, bob}).visibility("private"));
  ASSERT_EQ(created.type(), "RECEIPT") << created.json();
  EXPECT_EQ(created.payload_string("status"), "ok");
  EXPECT_EQ(created.payload_string("group_id"), gid);
  EXPECT_EQ(created.payload_string("role"), "owner");
  // A.2 step 2: the invitee is told, on each of its devices.
  for (const Device* d : {&b1, &b2}) {
    auto invited = wait_for(*d->client, notice("invited_to_group"));
    ASSERT_TRUE(invited) << d->device << " was not told of the invitation";
    EXPECT_EQ(invited->payload_string("group_id"), gid);
    EXPECT_EQ(invited->payload_string("inviter"), alice);
    EXPECT_EQ(invited->payload_string("name"), "Team Chat");
    EXPECT_EQ(invited->from_user_id(), "qsip-server") << "from the server (wire profile 4)";
  }

  // Private: no invitation, no entry, and nothing to see.
  EXPECT_EQ(c1.group(GroupPayload().action("join").group_id(gid)).error_code(), 4031);
  EXPECT_EQ(c1.group(GroupPayload().action("get_info").group_id(gid)).error_code(), 4031);

  // The invitee joins; the members and the joiner's other device are told.
  auto joined = b1.group(GroupPayload().action("join").group_id(gid));
  ASSERT_EQ(joined.type(), "RECEIPT") << joined.json();
  EXPECT_EQ(joined.payload_string("role"), "member");
  ASSERT_TRUE(wait_for(*a1.client, notice("member_joined", bob)));
  ASSERT_TRUE(wait_for(*b2.client, notice("member_joined", bob))) << "16.3: bob's other device";
  EXPECT_EQ(b1.group(GroupPayload().action("join").group_id(gid)).error_code(), 4051) << "joining twice";

  // A member lacks the role to invite; the owner invites carol, who joins.
  EXPECT_EQ(b1.group(GroupPayload().action("invite").group_id(gid).members({carol})).error_code(), 4014);
  ASSERT_EQ(a1.group(GroupPayload().action("invite").group_id(gid).members({carol})).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*c1.client, notice("invited_to_group")));
  ASSERT_EQ(c1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  for (const Device* d : {&a1, &b1, &b2}) ASSERT_TRUE(wait_for(*d->client, notice("member_joined", carol))) << d->device;

  // set_role: every member's every device learns of it.
  auto promoted = a1.group(GroupPayload().action("set_role").group_id(gid).target_user_id(bob).role("admin"));
  ASSERT_EQ(promoted.type(), "RECEIPT") << promoted.json();
  for (const Device* d : {&b1, &b2, &c1}) {
    auto changed = wait_for(*d->client, notice("role_changed", bob));
    ASSERT_TRUE(changed) << d->device;
    EXPECT_EQ(changed->payload_string("role"), "admin");
    EXPECT_EQ(changed->payload_string("previous_role"), "member");
    EXPECT_EQ(changed->payload_string("by_user_id"), alice);
  }

  // kick: a member may not; an admin may kick a member, who is told too.
  EXPECT_EQ(c1.group(GroupPayload().action("kick").group_id(gid).target_user_id(bob)).error_code(), 4014);
  ASSERT_EQ(b2.group(GroupPayload().action("kick").group_id(gid).target_user_id(carol)).type(), "RECEIPT");
  auto kicked = wait_for(*c1.client, notice("member_left", carol));
  ASSERT_TRUE(kicked) << "the kicked member is told";
  EXPECT_EQ(kicked->payload_string("reason"), "kicked");
  EXPECT_EQ(kicked->payload_string("by_user_id"), bob);
  ASSERT_TRUE(wait_for(*a1.client, notice("member_left", carol)));
  ASSERT_TRUE(wait_for(*b1.client, notice("member_left", carol))) << "the kicker's other device";
  EXPECT_EQ(c1.group(GroupPayload().action("get_info").group_id(gid)).error_code(), 4031);

  // leave: the others and the leaver's other device are told; the last owner may not leave.
  ASSERT_EQ(b2.group(GroupPayload().action("leave").group_id(gid)).type(), "RECEIPT");
  auto left = wait_for(*a1.client, notice("member_left", bob));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->payload_string("reason"), "left");
  ASSERT_TRUE(wait_for(*b1.client, notice("member_left", bob)));
  EXPECT_EQ(a1.group(GroupPayload().action("leave").group_id(gid)).error_code(), 4051);

  auto info = a1.group(GroupPayload().action("get_info").group_id(gid));
  ASSERT_EQ(info.type(), "GROUP") << info.json();
  EXPECT_EQ(info.payload_string("action"), "get_info");
  EXPECT_EQ(info.payload_string("name"), "Team Chat");
  EXPECT_EQ(info.payload_string("topic"), "plans");
  EXPECT_EQ(info.payload_string("visibility"), "private");
  EXPECT_EQ(info.payload_int("member_count"), 1);
  EXPECT_EQ(info.payload_string("role"), "owner");
}

TEST_F(Groups, APublicGroupTakesAnyoneOnceAndItsMembersHearOfChanges) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), gid = id("g-open");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto b2 = device(bob, "b2");
  auto c1 = device(carol, "c1");
  ASSERT_EQ(a1.group(GroupPayload().action("create").group_id(gid).name("Open").visibility("public")).type(), "RECEIPT");
  // Anyone reads it and joins it, once.
  auto info = c1.group(GroupPayload().action("get_info").group_id(gid));
  ASSERT_EQ(info.type(), "GROUP") << info.json();
  EXPECT_EQ(info.payload_bool("invited"), false);
  ASSERT_EQ(b1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  ASSERT_EQ(c1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  EXPECT_EQ(c1.group(GroupPayload().action("join").group_id(gid)).error_code(), 4051);

  // The suggested id is taken: the server gives another.
  auto second = b1.group(GroupPayload().action("create").group_id(gid));
  ASSERT_EQ(second.type(), "RECEIPT");
  EXPECT_NE(second.payload_string("group_id"), gid);

  // update by a member: 4014; by the owner: every member's devices get it.
  EXPECT_EQ(c1.group(GroupPayload().action("update").group_id(gid).name("Mine")).error_code(), 4014);
  auto renamed = a1.group(GroupPayload().action("update").group_id(gid).name("Open Chat").avatar_url("https://x.example/a.png"));
  ASSERT_EQ(renamed.type(), "RECEIPT") << renamed.json();
  for (const Device* d : {&b1, &b2, &c1}) {
    auto updated = wait_for(*d->client, notice("update"));
    ASSERT_TRUE(updated) << d->device;
    EXPECT_EQ(updated->payload_string("name"), "Open Chat");
    EXPECT_EQ(updated->from_user_id(), "qsip-server");
  }

  // Errors name the cause.
  EXPECT_EQ(a1.group(GroupPayload().action("invite").group_id(gid).members({"nobody-" + alice})).error_code(), 4041);
  EXPECT_EQ(a1.group(GroupPayload().action("get_info").group_id("g-none-" + alice)).error_code(), 4042);
  EXPECT_EQ(a1.group(GroupPayload().action("member_joined").group_id(gid)).error_code(), 4052);
  EXPECT_EQ(a1.group(GroupPayload().action("list_members").group_id(gid).limit(0)).error_code(), 4001);

  // delete: owner only; everyone is told, and the group is gone.
  EXPECT_EQ(b1.group(GroupPayload().action("delete").group_id(gid)).error_code(), 4014);
  ASSERT_EQ(a1.group(GroupPayload().action("delete").group_id(gid)).type(), "RECEIPT");
  for (const Device* d : {&b1, &b2, &c1}) ASSERT_TRUE(wait_for(*d->client, notice("group_deleted"))) << d->device;
  EXPECT_EQ(a1.group(GroupPayload().action("get_info").group_id(gid)).error_code(), 4042);
}

TEST_F(Groups, ListMembersPagesThroughEveryMember) {
  const auto gid = id("g-big");
  auto owner = device(id("u0"), "d");
  ASSERT_EQ(owner.group(GroupPayload().action("create").group_id(gid).visibility("public")).type(), "RECEIPT");
  std::set<std::string> expected{owner.user};
  for (int i = 1; i <= 4; ++i) {
    auto member = device(id("u" + std::to_string(i)), "d");
    ASSERT_EQ(member.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
    expected.insert(member.user);
  }
  // By cursor: pages of two until has_more is false, no one twice.
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    GroupPayload p;
    p.action("list_members").group_id(gid).limit(2);
    if (!cursor.empty()) p.set("cursor", cursor);
    auto answer = owner.group(p);
    ASSERT_EQ(answer.type(), "GROUP") << answer.json();
    EXPECT_EQ(answer.payload_int("total"), 5);
    for (auto& m : strings_of(*answer.payload_json("members"))) seen.push_back(m);
    if (!*answer.payload_bool("has_more")) break;
    cursor = std::string(*answer.payload_string("next_cursor"));
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  // By offset: the same order.
  auto third = owner.group(GroupPayload().action("list_members").group_id(gid).limit(2).offset(2));
  EXPECT_EQ(strings_of(*third.payload_json("members")), (std::vector<std::string>{seen[2], seen[3]}));
  EXPECT_EQ(third.payload_bool("has_more"), true);
}

TEST_F(Groups, AJoinRequestToAPrivateGroupWaitsForApproval) {
  const auto alice = id("alice"), carol = id("carol"), gid = id("g-ask");
  auto a1 = device(alice, "a1");
  auto c1 = device(carol, "c1");
  GroupPayload create;
  create.action("create").group_id(gid).visibility("private");
  create.set("settings", core::RawJson{R"({"join_requests":true})"});
  ASSERT_EQ(a1.group(create).type(), "RECEIPT");
  auto asked = c1.group(GroupPayload().action("join").group_id(gid));
  ASSERT_EQ(asked.type(), "RECEIPT") << asked.json();
  EXPECT_EQ(asked.payload_string("status"), "pending");
  ASSERT_TRUE(wait_for(*a1.client, notice("join_requested", carol)));
  EXPECT_EQ(c1.group(GroupPayload().action("list_members").group_id(gid)).type(), "GROUP")
      << "a requester may look at what it asked to join";
  ASSERT_EQ(a1.group(GroupPayload().action("approve_join").group_id(gid).target_user_id(carol)).type(), "RECEIPT");
  auto admitted = wait_for(*c1.client, notice("member_joined", carol));
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->payload_string("approved_by"), alice);
}

TEST_F(Groups, AnInvitationMadeWhileOfflineArrivesAtTheNextRegister) {
  const auto alice = id("alice"), bob = id("bob"), gid = id("g-later");
  device(bob, "b1").client->close();  // bob has an account, then goes offline
  auto a1 = device(alice, "a1");
  ASSERT_EQ(a1.group(GroupPayload().action("create").group_id(gid).members({bob})).type(), "RECEIPT");
  auto b1 = device(bob, "b1");
  auto invited = wait_for(*b1.client, notice("invited_to_group"));
  ASSERT_TRUE(invited);
  EXPECT_EQ(invited->payload_string("group_id"), gid);
  // Declining (leave) ends it: the next REGISTER brings nothing.
  ASSERT_EQ(b1.group(GroupPayload().action("leave").group_id(gid)).type(), "RECEIPT");
  b1.client->close();
  auto again = device(bob, "b1");
  EXPECT_FALSE(wait_for(*again.client, notice("invited_to_group"), 500ms));
}
