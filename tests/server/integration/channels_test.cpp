// Channels end to end (draft 5.30; docs/groups.md "Channels"): the real
// qsipd over QUIC with libqsip clients. Create, join, leave, list, delete;
// a MESSAGE to `to.channel_id` reaches every device of every member and no
// outsider; a workspace's public channel is for the workspace's members.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/object_builder.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"
#include "store/sqlite/sqlite_database.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::eventually;
using qsip::test::wait_for;

namespace {

struct Device {
  std::string user;
  std::string device;
  std::unique_ptr<Client> client;

  Message send(std::string_view type, const core::ObjectBuilder& payload) const {
    return client->request(envelope(type, user, device, payload.json())).get();
  }
  // A text MESSAGE addressed with to.channel_id.
  Message say_in_channel(const std::string& channel_id, const std::string& text, const std::string& message_id) const {
    core::EnvelopeFields f{.message_id = message_id, .timestamp = "2025-06-01T00:43:25Z", .type = "MESSAGE",
                           .from_user_id = user, .from_device_id = device};
    f.to_channel_id = channel_id;
    return client->request(core::build_envelope(f, qsip::test::text_payload(text))).get();
  }
};

core::ObjectBuilder channel(const char* action, const std::string& id) {
  core::ObjectBuilder p;
  p.set("action", action);
  if (!id.empty()) p.set("channel_id", id);
  return p;
}

std::function<bool(const Message&)> message_with_id(const std::string& id) {
  return [id](const Message& m) { return m.type() == "MESSAGE" && m.message_id() == id; };
}

std::function<bool(const Message&)> group_notice(const std::string& action, const std::string& about = {}) {
  return [action, about](const Message& m) {
    return m.type() == "GROUP" && m.payload_string("action") == action &&
           (about.empty() || m.payload_string("target_user_id") == about);
  };
}

class Channels : public qsip::test::SharedServerTest {
 protected:
  static Device device(const std::string& user, const std::string& device_id) {
    return Device{user, device_id, server_->connect_registered(user, device_id)};
  }
  std::int64_t audit_count(const std::string& event_type, const std::string& resource_id) {
    store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
    auto q = db.prepare("SELECT count(*) FROM audit_events WHERE event_type = ?1 AND target_resource_id = ?2");
    q.bind(1, event_type).bind(2, resource_id);
    return q.step() ? q.integer(0) : -1;
  }
};

}  // namespace

TEST_F(Channels, CreateJoinListMessageLeaveAndDelete) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), dave = id("dave"), cid = id("c-general");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto b2 = device(bob, "b2");
  auto c1 = device(carol, "c1");
  auto d1 = device(dave, "d1");

  auto created = a1.send("CHANNEL", channel("create", cid).set("name", "General").set("description", "everything"));
  ASSERT_EQ(created.type(), "RECEIPT") << created.json();
  EXPECT_EQ(created.payload_string("status"), "ok");
  EXPECT_EQ(created.payload_string("channel_id"), cid);
  EXPECT_EQ(created.payload_string("role"), "owner");
  auto taken = d1.send("CHANNEL", channel("create", cid));
  EXPECT_EQ(taken.error_code(), 4051) << taken.json();
  EXPECT_NE(taken.json().find("payload.channel_id"), std::string::npos);

  // Public by default: anyone joins; every member's devices are told, the
  // joining user's other device included.
  auto joined = b1.send("CHANNEL", channel("join", cid));
  ASSERT_EQ(joined.type(), "RECEIPT") << joined.json();
  EXPECT_EQ(joined.payload_string("role"), "member");
  auto told_b2 = wait_for(*b2.client, group_notice("member_joined", bob));
  ASSERT_TRUE(told_b2);
  EXPECT_EQ(told_b2->payload_string("group_id"), cid);
  EXPECT_EQ(told_b2->payload_string("kind"), "channel");
  ASSERT_TRUE(wait_for(*a1.client, group_notice("member_joined", bob)));
  ASSERT_EQ(c1.send("CHANNEL", channel("join", cid)).type(), "RECEIPT");
  EXPECT_EQ(c1.send("CHANNEL", channel("join", cid)).error_code(), 4051) << "joining twice";

  // list: dave, a member of nothing, sees the public channel.
  auto listed = d1.send("CHANNEL", channel("list", ""));
  ASSERT_EQ(listed.type(), "CHANNEL") << listed.json();
  EXPECT_NE(listed.json().find("\"channel_id\":\"" + cid + "\""), std::string::npos);
  EXPECT_NE(listed.json().find("\"member_count\":3"), std::string::npos) << listed.json();

  // A message to the channel reaches every device of every member, and the
  // relayed frame keeps the `to` the sender wrote.
  auto sent = a1.say_in_channel(cid, "hello channel", id("m-1"));
  ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  for (Client* c : {b1.client.get(), b2.client.get(), c1.client.get()}) {
    auto got = wait_for(*c, message_with_id(id("m-1")));
    ASSERT_TRUE(got);
    EXPECT_NE(got->json().find("\"channel_id\":\"" + cid + "\""), std::string::npos) << got->json();
  }
  EXPECT_FALSE(wait_for(*d1.client, message_with_id(id("m-1")), 300ms)) << "dave is not a member";
  auto outsider = d1.say_in_channel(cid, "let me in", id("m-2"));
  EXPECT_EQ(outsider.error_code(), 4031);
  auto unknown = a1.say_in_channel(id("c-none"), "anyone?", id("m-3"));
  EXPECT_EQ(unknown.error_code(), 4042);
  EXPECT_NE(unknown.json().find("to.channel_id"), std::string::npos) << unknown.json();

  // GROUP actions work on the channel id.
  core::ObjectBuilder info;
  info.set("action", "get_info").set("group_id", cid);
  auto described = b1.send("GROUP", info);
  ASSERT_EQ(described.type(), "GROUP") << described.json();
  EXPECT_EQ(described.payload_string("kind"), "channel");
  EXPECT_EQ(described.payload_string("topic"), "everything");

  // carol leaves: the next message does not reach her.
  ASSERT_EQ(c1.send("CHANNEL", channel("leave", cid)).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b1.client, group_notice("member_left", carol)));
  ASSERT_EQ(a1.say_in_channel(cid, "after carol", id("m-4")).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b2.client, message_with_id(id("m-4"))));
  EXPECT_FALSE(wait_for(*c1.client, message_with_id(id("m-4")), 300ms));

  // delete: owners only; members are told.
  EXPECT_EQ(b1.send("CHANNEL", channel("delete", cid)).error_code(), 4014);
  EXPECT_EQ(d1.send("CHANNEL", channel("delete", cid)).error_code(), 4031);
  ASSERT_EQ(a1.send("CHANNEL", channel("delete", cid)).type(), "RECEIPT");
  for (Client* c : {b1.client.get(), b2.client.get()}) ASSERT_TRUE(wait_for(*c, group_notice("group_deleted")));
  EXPECT_EQ(b1.send("CHANNEL", channel("join", cid)).error_code(), 4042);
  EXPECT_TRUE(eventually([&] { return audit_count("channel_created", cid) == 1; }, 5s));
  EXPECT_TRUE(eventually([&] { return audit_count("channel_deleted", cid) == 1; }, 5s));
}

TEST_F(Channels, WorkspaceChannelsAreForTheWorkspacesMembersAndPrivateOnesTakeAnInvitation) {
  const auto alice = id("alice"), bob = id("bob"), wid = id("w-team"), cid = id("c-team"), pid = id("c-secret");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  core::ObjectBuilder ws;
  core::ObjectBuilder ws_info;
  ws_info.set("name", "Team");
  ws.set("action", "create").set("workspace_id", wid).set("workspace_info", ws_info);
  ASSERT_EQ(a1.send("WORKSPACE", ws).type(), "RECEIPT");

  auto outside = b1.send("CHANNEL", channel("create", id("c-bob")).set("workspace_id", wid));
  EXPECT_EQ(outside.error_code(), 4031) << "only workspace members place channels in it";
  EXPECT_EQ(b1.send("CHANNEL", channel("create", id("c-bob")).set("workspace_id", id("w-none"))).error_code(), 4045);

  ASSERT_EQ(a1.send("CHANNEL", channel("create", cid).set("workspace_id", wid)).type(), "RECEIPT");
  ASSERT_EQ(a1.send("CHANNEL", channel("create", pid).set("workspace_id", wid).set("visibility", "private")).type(),
            "RECEIPT");
  auto refused = b1.send("CHANNEL", channel("join", cid));
  EXPECT_EQ(refused.error_code(), 4031) << refused.json();
  EXPECT_EQ(b1.send("CHANNEL", channel("list", "")).json().find(cid), std::string::npos);

  core::ObjectBuilder invite;
  invite.set("action", "invite").set("workspace_id", wid).set("members", std::vector<std::string>{bob});
  ASSERT_EQ(a1.send("WORKSPACE", invite).type(), "RECEIPT");
  core::ObjectBuilder join;
  join.set("action", "join").set("workspace_id", wid);
  ASSERT_EQ(b1.send("WORKSPACE", join).type(), "RECEIPT");
  ASSERT_EQ(b1.send("CHANNEL", channel("join", cid)).type(), "RECEIPT");
  auto listed = b1.send("CHANNEL", channel("list", "").set("workspace_id", wid));
  EXPECT_NE(listed.json().find(cid), std::string::npos);
  EXPECT_EQ(listed.json().find(pid), std::string::npos) << "a private channel is not listed to non-members";

  EXPECT_EQ(b1.send("CHANNEL", channel("join", pid)).error_code(), 4031);
  core::ObjectBuilder group_invite;
  group_invite.set("action", "invite").set("group_id", pid).set("members", std::vector<std::string>{bob});
  ASSERT_EQ(a1.send("GROUP", group_invite).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b1.client, group_notice("invited_to_group")));
  ASSERT_EQ(b1.send("CHANNEL", channel("join", pid)).type(), "RECEIPT");
}
