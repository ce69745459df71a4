// Moderation end to end (draft 5.20; docs/moderation.md): the real qsipd
// over QUIC with libqsip clients, one server whose configuration names the
// server administrator u-root. Every effect is checked where it shows: a
// muted member's messages refused and allowed again when the mute runs out
// (no restart), a banned user kept out until unbanned, a moderator's delete
// on every member's devices, warnings online and at a later REGISTER, a
// suspended account cut off and let back after its suspension, and
// sanctions that survive a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"
#include "running_qsipd.hpp"
#include "server/child_process.hpp"
#include "shared_server_test.hpp"
#include "store/sqlite/sqlite_database.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using core::builders::GroupPayload;
using core::builders::ModerationPayload;
using qsip::test::envelope;
using qsip::test::eventually;
using qsip::test::RunningQsipd;
using qsip::test::text_payload;
using qsip::test::wait_for;

namespace {

const std::string kRoot = "u-root";
const std::string kConfig = "[auth]\nserver_admins = [\"u-root\"]\n";

// `qsipd user add USER` on the server's data directory: an account that
// never connected (so surely offline).
void add_user(const RunningQsipd& server, const std::string& user) {
  qsip::test::ChildProcess p({qsip::test::qsipd_path(), "user", "add", user, "--data-dir", server.data_dir()});
  ASSERT_EQ(p.wait_exit(20s).value_or(-1), 0) << p.stderr_text();
}

// An envelope addressed to a group.
std::string to_group(std::string_view type, std::string_view user, std::string_view device, std::string_view group,
                     std::string_view payload, std::string message_id = {}) {
  static std::atomic<int> counter{0};
  if (message_id.empty()) message_id = "mod-" + std::to_string(++counter);
  core::EnvelopeFields f;
  f.message_id = message_id;
  f.timestamp = "2025-06-01T00:43:25Z";
  f.type = type;
  f.from_user_id = user;
  f.from_device_id = device;
  f.to_group_id = group;
  return core::build_envelope(f, payload);
}

// A server MODERATION with this action (and about this group).
std::function<bool(const Message&)> moderation(std::string action, std::string group = {}) {
  return [action, group](const Message& m) {
    return m.type() == "MODERATION" && m.payload_string("action") == action &&
           (group.empty() || m.payload_string("target_group_id") == group);
  };
}

std::function<bool(const Message&)> group_notice(std::string action, std::string about) {
  return [action, about](const Message& m) {
    return m.type() == "GROUP" && m.payload_string("action") == action && m.payload_string("target_user_id") == about;
  };
}

// One user's connected, registered device.
struct Device {
  std::string user;
  std::string device;
  std::unique_ptr<Client> client;

  Message moderate(const ModerationPayload& payload) const {
    return client->request(envelope("MODERATION", user, device, payload.json())).get();
  }
  Message group(const GroupPayload& payload) const {
    return client->request(envelope("GROUP", user, device, payload.json())).get();
  }
  Message say(const std::string& group_id, const std::string& text, const std::string& message_id = {}) const {
    return client->request(to_group("MESSAGE", user, device, group_id, text_payload(text), message_id)).get();
  }
};

class Moderation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd({}, kConfig); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string id(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static Device device(const std::string& user, const std::string& device_id) {
    return Device{user, device_id, server_->connect_registered(user, device_id)};
  }
  // A public group `gid` owned by `owner`, joined by each of `members`.
  static void public_group(const Device& owner, const std::string& gid, std::initializer_list<const Device*> members) {
    ASSERT_EQ(owner.group(GroupPayload().action("create").group_id(gid).visibility("public")).type(), "RECEIPT");
    for (const Device* d : members) {
      auto joined = d->group(GroupPayload().action("join").group_id(gid));
      ASSERT_EQ(joined.type(), "RECEIPT") << joined.json();
    }
  }
  static inline RunningQsipd* server_ = nullptr;
};

}  // namespace

TEST_F(Moderation, AMutedMemberIsRefusedUntilTheMuteRunsOut) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), gid = id("g");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto c1 = device(carol, "c1");
  public_group(a1, gid, {&b1, &c1});

  // Only moderators and above, and only on lower ranks.
  auto by_member = c1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(bob).target_group_id(gid));
  EXPECT_EQ(by_member.error_code(), 4014) << by_member.json();
  auto outsider = device(id("olga"), "o1");
  EXPECT_EQ(outsider.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(bob).target_group_id(gid))
                .error_code(),
            4031);
  EXPECT_EQ(a1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(bob).target_group_id(gid)
                            .duration_seconds(5).expires_at("2099-01-01T00:00:00Z"))
                .error_code(),
            4001)
      << "duration_seconds and expires_at together";

  auto muted = a1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(bob).target_group_id(gid)
                               .reason("flooding").duration_seconds(2));
  ASSERT_EQ(muted.type(), "RECEIPT") << muted.json();
  EXPECT_EQ(muted.payload_string("status"), "ok");
  EXPECT_EQ(muted.payload_string("action"), "mute_user_in_group");
  EXPECT_EQ(muted.payload_string("target_user_id"), bob);
  EXPECT_EQ(muted.payload_string("target_group_id"), gid);
  ASSERT_TRUE(muted.payload_string("expires_at"));
  auto told = wait_for(*b1.client, moderation("mute_user_in_group", gid));
  ASSERT_TRUE(told) << "the muted user is told";
  EXPECT_EQ(told->from_user_id(), "qsip-server");
  EXPECT_EQ(told->payload_string("reason"), "flooding");
  EXPECT_EQ(told->payload_string("expires_at"), muted.payload_string("expires_at"));

  auto refused = b1.say(gid, "still here");
  EXPECT_EQ(refused.error_code(), 4031) << refused.json();
  const std::string detail(refused.payload_string("detail").value_or(""));
  EXPECT_EQ(detail.rfind("to.group_id: you are muted in " + gid + " until 20", 0), 0u) << detail;
  auto typing = b1.client->request(to_group("INFO", bob, "b1", gid, R"({"info_type":"typing_indicator","is_typing":true})")).get();
  EXPECT_EQ(typing.error_code(), 4031) << typing.json();
  EXPECT_EQ(c1.say(gid, "others still talk").type(), "RECEIPT");

  // Expiry: the user is told, and may speak again, without a restart.
  auto lifted = wait_for(*b1.client, moderation("unmute_user_in_group", gid), 8s);
  ASSERT_TRUE(lifted) << "the expiry is told";
  EXPECT_EQ(lifted->payload_string("reason"), "expired");
  auto allowed = b1.say(gid, "back");
  ASSERT_EQ(allowed.type(), "RECEIPT") << allowed.json();
  EXPECT_EQ(allowed.payload_string("status"), "delivered_to_server");

  // Unmuting someone not muted is a state error; by hand it works at once.
  EXPECT_EQ(a1.moderate(ModerationPayload().action("unmute_user_in_group").target_user_id(bob).target_group_id(gid))
                .error_code(),
            4051);
  ASSERT_EQ(a1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(bob).target_group_id(gid)).type(),
            "RECEIPT");
  EXPECT_EQ(b1.say(gid, "no").error_code(), 4031);
  ASSERT_EQ(a1.moderate(ModerationPayload().action("unmute_user_in_group").target_user_id(bob).target_group_id(gid)).type(),
            "RECEIPT");
  EXPECT_EQ(b1.say(gid, "yes").type(), "RECEIPT");
}

TEST_F(Moderation, ABannedUserCannotJoinAgainUntilUnbanned) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), gid = id("g");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto c1 = device(carol, "c1");
  public_group(a1, gid, {&b1, &c1});
  ASSERT_EQ(a1.group(GroupPayload().action("set_role").group_id(gid).target_user_id(carol).role("moderator")).type(),
            "RECEIPT");

  auto banned = c1.moderate(ModerationPayload().action("ban_user_from_group").target_user_id(bob).target_group_id(gid)
                                .reason("spam"));
  ASSERT_EQ(banned.type(), "RECEIPT") << banned.json();
  EXPECT_FALSE(banned.payload_string("expires_at")) << "permanent";
  // Removed as GROUP kick removes: the members and the user are told.
  for (const Device* d : {&a1, &b1}) {
    auto left = wait_for(*d->client, group_notice("member_left", bob));
    ASSERT_TRUE(left) << d->device;
    EXPECT_EQ(left->payload_string("reason"), "banned");
    EXPECT_EQ(left->payload_string("by_user_id"), carol);
  }
  ASSERT_TRUE(wait_for(*b1.client, moderation("ban_user_from_group", gid)));

  auto join = b1.group(GroupPayload().action("join").group_id(gid));
  EXPECT_EQ(join.error_code(), 4031) << join.json();
  EXPECT_NE(std::string(join.payload_string("detail").value_or("")).find("banned"), std::string::npos);
  EXPECT_EQ(a1.group(GroupPayload().action("invite").group_id(gid).members({bob})).error_code(), 4031);
  EXPECT_EQ(b1.say(gid, "let me in").error_code(), 4031);

  // A moderator cannot unban... a ban of an admin: ranks hold.
  EXPECT_EQ(c1.moderate(ModerationPayload().action("ban_user_from_group").target_user_id(alice).target_group_id(gid))
                .error_code(),
            4014);
  ASSERT_EQ(c1.moderate(ModerationPayload().action("unban_user_from_group").target_user_id(bob).target_group_id(gid))
                .type(),
            "RECEIPT");
  ASSERT_TRUE(wait_for(*b1.client, moderation("unban_user_from_group", gid)));
  EXPECT_EQ(c1.moderate(ModerationPayload().action("unban_user_from_group").target_user_id(bob).target_group_id(gid))
                .error_code(),
            4051);
  EXPECT_EQ(b1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");

  // kick: out, but free to come back to a public group.
  auto kicked = c1.moderate(ModerationPayload().action("kick_user_from_group").target_user_id(bob).target_group_id(gid)
                                .reason("cool down"));
  ASSERT_EQ(kicked.type(), "RECEIPT") << kicked.json();
  auto left = wait_for(*a1.client, group_notice("member_left", bob));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->payload_string("reason"), "kicked");
  EXPECT_EQ(left->payload_string("moderation_reason"), "cool down");
  EXPECT_EQ(b1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");

  // Every action is an audit event, refused ones too.
  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  auto count = [&](const std::string& status) {
    auto q = db.prepare("SELECT count(*) FROM audit_events WHERE event_type = 'moderation_action' AND actor_user_id = ?1 "
                        "AND status = ?2");
    q.bind(1, carol).bind(2, status);
    return q.step() ? q.integer(0) : -1;
  };
  EXPECT_TRUE(eventually([&] { return count("success") == 3 && count("failure") == 2; }, 5s))
      << count("success") << " " << count("failure");
  auto q = db.prepare("SELECT target_resource_type, target_resource_id, details FROM audit_events "
                      "WHERE event_type = 'moderation_action' AND actor_user_id = ?1 AND status = 'success' ORDER BY id LIMIT 1");
  q.bind(1, carol);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "user");
  EXPECT_EQ(q.text(1), bob);
  EXPECT_EQ(q.text(2), R"({"action":"ban_user_from_group","reason":"spam","group":")" + gid + R"(","target_user_id":")" + bob +
                           R"("})");
}

TEST_F(Moderation, DeleteMessageReachesEveryDeviceAsADelete) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), gid = id("g");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto b2 = device(bob, "b2");
  auto c1 = device(carol, "c1");
  public_group(a1, gid, {&b1, &c1});
  const std::string mid = "m-spam-" + bob;
  ASSERT_EQ(b1.say(gid, "buy cheap stuff", mid).type(), "RECEIPT");
  for (const Device* d : {&a1, &b2, &c1})
    ASSERT_TRUE(wait_for(*d->client, [&](const Message& m) { return m.type() == "MESSAGE" && m.message_id() == mid; }))
        << d->device;

  EXPECT_EQ(c1.moderate(ModerationPayload().action("delete_message").target_message_id(mid).target_group_id(gid))
                .error_code(),
            4014)
      << "a member";
  EXPECT_EQ(c1.moderate(ModerationPayload().action("delete_message").target_message_id(mid)).error_code(), 4014)
      << "outside a group: server administrators";
  EXPECT_EQ(a1.moderate(ModerationPayload().action("delete_message").target_message_id("m-none").target_group_id(gid))
                .error_code(),
            4044);

  auto deleted = a1.moderate(ModerationPayload().action("delete_message").target_message_id(mid).target_group_id(gid)
                                 .reason("spam"));
  ASSERT_EQ(deleted.type(), "RECEIPT") << deleted.json();
  EXPECT_EQ(deleted.payload_string("deleted_message_id"), mid);
  EXPECT_EQ(deleted.payload_string("target_user_id"), bob) << "the author";
  // Every member's every device, the author's included, gets the delete.
  for (const Device* d : {&b1, &b2, &c1}) {
    auto action = wait_for(*d->client, [&](const Message& m) {
      return m.type() == "MESSAGE_ACTION" && m.payload_string("target_message_id") == mid;
    });
    ASSERT_TRUE(action) << d->device;
    EXPECT_EQ(action->payload_string("action"), "delete");
    EXPECT_EQ(action->payload_string("by_user_id"), alice);
  }
  EXPECT_EQ(a1.moderate(ModerationPayload().action("delete_message").target_message_id(mid).target_group_id(gid))
                .error_code(),
            4051)
      << "deleted already";
  // The same stored state as an author's delete: content gone.
  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  auto q = db.prepare("SELECT deleted, envelope FROM messages WHERE sender_user = ?1 AND message_id = ?2");
  q.bind(1, bob).bind(2, mid);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 1);
  EXPECT_EQ(q.text(1).find("buy cheap stuff"), std::string::npos);

  // A server administrator deletes a direct message: both parties' devices.
  auto root = device(kRoot, "r-" + alice);
  const std::string dm = "m-dm-" + bob;
  ASSERT_EQ(b1.client->request(envelope("MESSAGE", bob, "b1", text_payload("psst"), dm, alice)).get().type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a1.client, [&](const Message& m) { return m.type() == "MESSAGE" && m.message_id() == dm; }));
  ASSERT_EQ(root.moderate(ModerationPayload().action("delete_message").target_message_id(dm)).type(), "RECEIPT");
  for (const Device* d : {&a1, &b1, &b2})
    ASSERT_TRUE(wait_for(*d->client, [&](const Message& m) {
      return m.type() == "MESSAGE_ACTION" && m.payload_string("target_message_id") == dm &&
             m.payload_string("action") == "delete";
    })) << d->device;
}

TEST_F(Moderation, WarningsReachOnlineDevicesAndLaterRegistrations) {
  const auto bob = id("bob"), dave = id("dave");
  auto root = device(kRoot, "r-warn");
  auto b1 = device(bob, "b1");
  auto warned = root.moderate(ModerationPayload().action("warn_user").target_user_id(bob).reason("be nice"));
  ASSERT_EQ(warned.type(), "RECEIPT") << warned.json();
  auto got = wait_for(*b1.client, moderation("warn_user"));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->payload_string("reason"), "be nice");
  EXPECT_EQ(got->payload_string("by_user_id"), kRoot);

  // Offline: told at its next REGISTER, once.
  add_user(*server_, dave);
  ASSERT_EQ(root.moderate(ModerationPayload().action("warn_user").target_user_id(dave)).type(), "RECEIPT");
  auto d1 = device(dave, "d1");
  auto later = wait_for(*d1.client, moderation("warn_user"));
  ASSERT_TRUE(later) << "the warning waited for a REGISTER";
  auto d2 = device(dave, "d2");
  EXPECT_FALSE(wait_for(*d2.client, moderation("warn_user"), 700ms)) << "delivered once";

  // Without a group, warnings are for server administrators.
  EXPECT_EQ(b1.moderate(ModerationPayload().action("warn_user").target_user_id(dave)).error_code(), 4014);
}

TEST_F(Moderation, ASuspendedAccountIsCutOffAndLetBackAfterItsSuspension) {
  const auto eve = id("eve"), bob = id("bob");
  auto root = device(kRoot, "r-suspend");
  auto b1 = device(bob, "b1");
  EXPECT_EQ(b1.moderate(ModerationPayload().action("suspend_user_account").target_user_id(eve)).error_code(), 4041)
      << "no such user yet";
  auto options = server_->client_options();
  options.reconnect = false;
  Client e1(options);
  e1.connect();
  auto payload = core::builders::RegisterPayload().auth_token(server_->token(eve, "e1")).device_info(core::RawJson{"{}"});
  ASSERT_EQ(e1.request(envelope("REGISTER", eve, "e1", payload.json())).get().type(), "RECEIPT");

  EXPECT_EQ(b1.moderate(ModerationPayload().action("suspend_user_account").target_user_id(eve)).error_code(), 4014);
  auto suspended = root.moderate(ModerationPayload().action("suspend_user_account").target_user_id(eve)
                                     .reason("abuse").duration_seconds(3));
  ASSERT_EQ(suspended.type(), "RECEIPT") << suspended.json();
  auto told = wait_for(e1, moderation("suspend_user_account"));
  ASSERT_TRUE(told) << "told before the connection closes";
  EXPECT_EQ(told->payload_string("reason"), "abuse");
  ASSERT_TRUE(eventually([&] { return !e1.info().connected; }, 5s)) << "the live connection is closed";
  EXPECT_EQ(e1.info().last_close_code, 0x13u);  // Revoked

  // REGISTER refused while suspended, even with a fresh token.
  auto again = server_->connect();
  auto fresh = core::builders::RegisterPayload().auth_token(server_->token(eve, "e1")).device_info(core::RawJson{"{}"});
  auto refused = again->request(envelope("REGISTER", eve, "e1", fresh.json())).get();
  EXPECT_EQ(refused.error_code(), 4011) << refused.json();
  EXPECT_NE(std::string(refused.payload_string("detail").value_or("")).find("suspended"), std::string::npos);

  // Lifted when it runs out: a token issued since is accepted.
  std::this_thread::sleep_for(3s);
  ASSERT_TRUE(eventually([&] {
    auto c = server_->connect();
    auto p = core::builders::RegisterPayload().auth_token(server_->token(eve, "e1")).device_info(core::RawJson{"{}"});
    return c->request(envelope("REGISTER", eve, "e1", p.json())).get().type() == "RECEIPT";
  }, 10s));
  // The expiry thread ended the account's suspension and closed the sanction in the store.
  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  EXPECT_TRUE(eventually([&] {
    auto q = db.prepare("SELECT u.suspended, s.lifted_at FROM users u JOIN moderation_sanctions s ON s.user_id = u.user_id "
                        "WHERE u.user_id = ?1 AND s.kind = 'suspension'");
    q.bind(1, eve);
    return q.step() && q.integer(0) == 0 && q.integer(1) != 0;
  }, 5s));
}

TEST(ModerationRestart, SanctionsSurviveARestart) {
  RunningQsipd server({}, kConfig);
  auto connect = [&](const std::string& user, const std::string& dev) {
    return Device{user, dev, server.connect_registered(user, dev)};
  };
  auto a1 = connect("u-alice", "a1");
  auto b1 = connect("u-bob", "b1");
  auto c1 = connect("u-carol", "c1");
  ASSERT_EQ(a1.group(GroupPayload().action("create").group_id("g-r").visibility("public")).type(), "RECEIPT");
  for (const Device* d : {&b1, &c1}) ASSERT_EQ(d->group(GroupPayload().action("join").group_id("g-r")).type(), "RECEIPT");
  ASSERT_EQ(a1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id("u-bob").target_group_id("g-r")
                            .duration_seconds(3600)).type(),
            "RECEIPT");
  ASSERT_EQ(a1.moderate(ModerationPayload().action("ban_user_from_group").target_user_id("u-carol").target_group_id("g-r"))
                .type(),
            "RECEIPT");
  // A warning for someone offline waits through the restart too.
  add_user(server, "u-dave");
  auto root = connect(kRoot, "r1");
  ASSERT_EQ(root.moderate(ModerationPayload().action("warn_user").target_user_id("u-dave").reason("last call")).type(),
            "RECEIPT");

  server.kill_and_restart();
  auto b2 = connect("u-bob", "b2");
  auto c2 = connect("u-carol", "c2");
  EXPECT_EQ(b2.say("g-r", "muted still").error_code(), 4031);
  EXPECT_EQ(c2.group(GroupPayload().action("join").group_id("g-r")).error_code(), 4031);
  auto d1 = connect("u-dave", "d1");
  auto warning = wait_for(*d1.client, moderation("warn_user"));
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->payload_string("reason"), "last call");
}

// Workspace admins administer every group of their workspace (docs/groups.md
// "Workspaces"): they moderate it as its owners do, without being members,
// and a group's own moderator cannot mute them.
TEST_F(Moderation, AWorkspaceAdminModeratesTheWorkspacesGroups) {
  using core::builders::WorkspacePayload;
  using core::builders::WorkspacePayloadWorkspaceInfo;
  const auto wanda = id("wanda"), alice = id("alice"), bob = id("bob"), wid = id("w"), gid = id("g");
  auto w1 = device(wanda, "w1");
  auto a1 = device(alice, "a1");
  auto b1 = device(bob, "b1");
  auto workspace = [](const Device& d, const WorkspacePayload& p) {
    return d.client->request(envelope("WORKSPACE", d.user, d.device, p.json())).get();
  };
  ASSERT_EQ(workspace(w1, WorkspacePayload().action("create").workspace_id(wid).workspace_info(
                              WorkspacePayloadWorkspaceInfo().name("Ops").visibility("public")))
                .type(),
            "RECEIPT");
  for (const Device* d : {&a1, &b1})
    ASSERT_EQ(workspace(*d, WorkspacePayload().action("join").workspace_id(wid)).type(), "RECEIPT") << d->user;
  // alice's group in the workspace; wanda (workspace owner) is not a member.
  ASSERT_EQ(a1.group(GroupPayload().action("create").group_id(gid).visibility("public").workspace_id(wid)).type(),
            "RECEIPT");
  ASSERT_EQ(b1.group(GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  ASSERT_EQ(a1.group(GroupPayload().action("set_role").group_id(gid).target_user_id(bob).role("moderator")).type(),
            "RECEIPT");

  auto muted = w1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(alice).target_group_id(gid));
  ASSERT_EQ(muted.type(), "RECEIPT") << muted.json();
  EXPECT_EQ(a1.say(gid, "hello?").error_code(), 4031) << "the group's owner is muted by the workspace's owner";
  EXPECT_EQ(b1.moderate(ModerationPayload().action("mute_user_in_group").target_user_id(wanda).target_group_id(gid))
                .error_code(),
            4014)
      << "a workspace administrator ranks as an owner";
  ASSERT_EQ(w1.moderate(ModerationPayload().action("unmute_user_in_group").target_user_id(alice).target_group_id(gid))
                .type(),
            "RECEIPT");
  EXPECT_EQ(a1.say(gid, "back").type(), "RECEIPT");
}
