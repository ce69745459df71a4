// Workspaces end to end (draft 5.34; docs/groups.md "Workspaces"): the
// real qsipd over QUIC with libqsip clients. The lifecycle with roles and
// notices on every device, a workspace admin administering a group it is
// not a member of, and deleting a workspace deleting its channels.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "client_waits.hpp"
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

struct Member {
  std::string user;
  std::string device;
  std::unique_ptr<Client> client;

  Message send(std::string_view type, const core::ObjectBuilder& payload) const {
    return client->request(envelope(type, user, device, payload.json())).get();
  }
};

core::ObjectBuilder workspace(const char* action, const std::string& id) {
  core::ObjectBuilder p;
  p.set("action", action);
  if (!id.empty()) p.set("workspace_id", id);
  return p;
}

std::function<bool(const Message&)> notice(const std::string& type, const std::string& action,
                                           const std::string& about = {}) {
  return [type, action, about](const Message& m) {
    return m.type() == type && m.payload_string("action") == action &&
           (about.empty() || m.payload_string("target_user_id") == about);
  };
}

class Workspaces : public qsip::test::SharedServerTest {
 protected:
  static Member member(const std::string& user, const std::string& device_id) {
    return Member{user, device_id, server_->connect_registered(user, device_id)};
  }
  static Message create(const Member& m, const std::string& id, const char* visibility = "private") {
    core::ObjectBuilder info;
    info.set("name", "Workspace " + id).set("description", "for tests").set("visibility", visibility);
    return m.send("WORKSPACE", workspace("create", id).set("workspace_info", info));
  }
  static Message invite(const Member& m, const std::string& id, const std::string& user) {
    return m.send("WORKSPACE", workspace("invite", id).set("members", std::vector<std::string>{user}));
  }
  std::int64_t audit_count(const std::string& event_type, const std::string& resource_id) {
    store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
    auto q = db.prepare("SELECT count(*) FROM audit_events WHERE event_type = ?1 AND target_resource_id = ?2");
    q.bind(1, event_type).bind(2, resource_id);
    return q.step() ? q.integer(0) : -1;
  }
};

}  // namespace

TEST_F(Workspaces, LifecycleWithRolesAndNoticesOnEveryDevice) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), wid = id("w-acme");
  auto a1 = member(alice, "a1");
  auto b1 = member(bob, "b1");
  auto b2 = member(bob, "b2");
  auto c1 = member(carol, "c1");

  auto created = create(a1, wid);
  ASSERT_EQ(created.type(), "RECEIPT") << created.json();
  EXPECT_EQ(created.payload_string("workspace_id"), wid);
  EXPECT_EQ(created.payload_string("role"), "owner");
  EXPECT_EQ(create(b1, wid).error_code(), 4051) << "taken";
  EXPECT_EQ(b1.send("WORKSPACE", workspace("get", wid)).error_code(), 4031) << "private";
  auto unknown = b1.send("WORKSPACE", workspace("get", id("w-none")));
  EXPECT_EQ(unknown.error_code(), 4045);
  EXPECT_NE(unknown.json().find("payload.workspace_id"), std::string::npos);
  EXPECT_EQ(b1.send("WORKSPACE", workspace("join", wid)).error_code(), 4031) << "no invitation";

  ASSERT_EQ(invite(a1, wid, bob).type(), "RECEIPT");
  for (Client* c : {b1.client.get(), b2.client.get()}) {
    auto invited = wait_for(*c, notice("WORKSPACE", "invited_to_workspace"));
    ASSERT_TRUE(invited);
    EXPECT_EQ(invited->payload_string("workspace_id"), wid);
    EXPECT_EQ(invited->payload_string("inviter"), alice);
  }
  ASSERT_EQ(b1.send("WORKSPACE", workspace("join", wid)).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a1.client, notice("WORKSPACE", "member_joined", bob)));
  ASSERT_TRUE(wait_for(*b2.client, notice("WORKSPACE", "member_joined", bob)));
  EXPECT_EQ(invite(b1, wid, carol).error_code(), 4014) << "members do not invite";

  auto promote = a1.send("WORKSPACE", workspace("set_role", wid).set("target_user_id", bob).set("role", "admin"));
  ASSERT_EQ(promote.type(), "RECEIPT") << promote.json();
  auto changed = wait_for(*b2.client, notice("WORKSPACE", "role_changed", bob));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->payload_string("role"), "admin");
  EXPECT_TRUE(eventually([&] { return audit_count("role_changed", wid) == 1; }, 5s));

  ASSERT_EQ(invite(b1, wid, carol).type(), "RECEIPT") << "admins invite";
  ASSERT_TRUE(wait_for(*c1.client, notice("WORKSPACE", "invited_to_workspace")));
  ASSERT_EQ(c1.send("WORKSPACE", workspace("join", wid)).type(), "RECEIPT");

  auto got = c1.send("WORKSPACE", workspace("get", wid));
  ASSERT_EQ(got.type(), "WORKSPACE") << got.json();
  EXPECT_EQ(got.payload_string("role"), "member");
  EXPECT_NE(got.json().find("\"member_count\":3"), std::string::npos);
  EXPECT_NE(got.json().find("\"name\":\"Workspace " + wid + "\""), std::string::npos);
  auto listed = c1.send("WORKSPACE", workspace("list", ""));
  ASSERT_EQ(listed.type(), "WORKSPACE");
  EXPECT_NE(listed.json().find("\"workspace_id\":\"" + wid + "\""), std::string::npos);
  auto members = c1.send("WORKSPACE", workspace("list_members", wid).set("limit", 2));
  ASSERT_EQ(members.type(), "WORKSPACE") << members.json();
  EXPECT_NE(members.json().find("\"total\":3"), std::string::npos);
  EXPECT_NE(members.json().find("\"has_more\":true"), std::string::npos);

  EXPECT_EQ(b1.send("WORKSPACE", workspace("kick", wid).set("target_user_id", alice)).error_code(), 4014);
  ASSERT_EQ(b1.send("WORKSPACE", workspace("kick", wid).set("target_user_id", carol)).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*c1.client, notice("WORKSPACE", "member_left", carol)));
  EXPECT_EQ(a1.send("WORKSPACE", workspace("leave", wid)).error_code(), 4051) << "the last owner";
  ASSERT_EQ(b1.send("WORKSPACE", workspace("leave", wid)).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a1.client, notice("WORKSPACE", "member_left", bob)));
  EXPECT_TRUE(eventually([&] { return audit_count("workspace_created", wid) == 1; }, 5s));
}

TEST_F(Workspaces, AWorkspaceAdminAdministersAGroupItIsNotAMemberOf) {
  const auto alice = id("alice"), bob = id("bob"), carol = id("carol"), wid = id("w-ops"), gid = id("g-ops");
  auto a1 = member(alice, "a1");
  auto b1 = member(bob, "b1");
  auto c1 = member(carol, "c1");
  ASSERT_EQ(create(a1, wid, "public").type(), "RECEIPT");
  ASSERT_EQ(b1.send("WORKSPACE", workspace("join", wid)).type(), "RECEIPT") << "public: anyone joins";
  ASSERT_EQ(c1.send("WORKSPACE", workspace("join", wid)).type(), "RECEIPT");

  core::ObjectBuilder make;
  make.set("action", "create").set("group_id", gid).set("name", "Ops").set("workspace_id", wid);
  auto made = b1.send("GROUP", make);
  ASSERT_EQ(made.type(), "RECEIPT") << made.json();
  ASSERT_EQ(made.payload_string("group_id"), gid);

  // alice owns the workspace and is no member of the group.
  core::ObjectBuilder update;
  update.set("action", "update").set("group_id", gid).set("topic", "renamed by the workspace owner");
  ASSERT_EQ(a1.send("GROUP", update).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b1.client, notice("GROUP", "update")));
  core::ObjectBuilder add;
  add.set("action", "invite").set("group_id", gid).set("members", std::vector<std::string>{carol});
  ASSERT_EQ(a1.send("GROUP", add).type(), "RECEIPT");
  core::ObjectBuilder join;
  join.set("action", "join").set("group_id", gid);
  ASSERT_EQ(c1.send("GROUP", join).type(), "RECEIPT");
  core::ObjectBuilder role;
  role.set("action", "set_role").set("group_id", gid).set("target_user_id", carol).set("role", "admin");
  ASSERT_EQ(a1.send("GROUP", role).type(), "RECEIPT");
  core::ObjectBuilder kick;
  kick.set("action", "kick").set("group_id", gid).set("target_user_id", bob);
  ASSERT_EQ(a1.send("GROUP", kick).type(), "RECEIPT") << "even the group's owner";
  core::ObjectBuilder members;
  members.set("action", "list_members").set("group_id", gid);
  auto listed = a1.send("GROUP", members);
  ASSERT_EQ(listed.type(), "GROUP");
  const auto listed_members = listed.payload_json("members").value_or("");
  EXPECT_NE(listed_members.find("\"" + carol + "\""), std::string::npos) << listed_members;
  EXPECT_EQ(listed_members.find("\"" + alice + "\""), std::string::npos) << "alice never became a member";
  // A plain workspace member has no such power.
  core::ObjectBuilder remove;
  remove.set("action", "delete").set("group_id", gid);
  EXPECT_EQ(b1.send("GROUP", remove).error_code(), 4031);
  ASSERT_EQ(a1.send("GROUP", remove).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*c1.client, notice("GROUP", "group_deleted")));
  EXPECT_TRUE(eventually([&] { return audit_count("group_deleted", gid) == 1; }, 5s));
}

TEST_F(Workspaces, DeletingAWorkspaceDeletesItsChannels) {
  const auto alice = id("alice"), bob = id("bob"), wid = id("w-gone"), cid = id("c-gone");
  auto a1 = member(alice, "a1");
  auto b1 = member(bob, "b1");
  ASSERT_EQ(create(a1, wid).type(), "RECEIPT");
  ASSERT_EQ(invite(a1, wid, bob).type(), "RECEIPT");
  ASSERT_EQ(b1.send("WORKSPACE", workspace("join", wid)).type(), "RECEIPT");
  core::ObjectBuilder make;
  make.set("action", "create").set("channel_id", cid).set("workspace_id", wid);
  ASSERT_EQ(a1.send("CHANNEL", make).type(), "RECEIPT");
  core::ObjectBuilder join;
  join.set("action", "join").set("channel_id", cid);
  ASSERT_EQ(b1.send("CHANNEL", join).type(), "RECEIPT");
  auto got = b1.send("WORKSPACE", workspace("get", wid));
  EXPECT_NE(got.json().find("\"channel_id\":\"" + cid + "\""), std::string::npos) << got.json();

  EXPECT_EQ(b1.send("WORKSPACE", workspace("delete", wid)).error_code(), 4014) << "owners only";
  ASSERT_EQ(a1.send("WORKSPACE", workspace("delete", wid)).type(), "RECEIPT");
  // The workspace's notice first, then its channels' (wait_for skips what
  // does not match).
  ASSERT_TRUE(wait_for(*b1.client, notice("WORKSPACE", "workspace_deleted")));
  auto deleted = wait_for(*b1.client, notice("GROUP", "group_deleted"));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->payload_string("group_id"), cid);
  EXPECT_EQ(b1.send("CHANNEL", join).error_code(), 4042) << "the channel went with it";
  EXPECT_EQ(a1.send("WORKSPACE", workspace("get", wid)).error_code(), 4045);
  EXPECT_TRUE(eventually([&] { return audit_count("workspace_deleted", wid) == 1; }, 5s));
  EXPECT_TRUE(eventually([&] { return audit_count("channel_deleted", cid) == 1; }, 5s));
}

TEST_F(Workspaces, AnInvitationWaitsForTheInviteesNextRegister) {
  const auto alice = id("alice"), dave = id("dave"), wid = id("w-later");
  auto a1 = member(alice, "a1");
  { auto first = member(dave, "d1"); }  // dave's account exists; dave goes offline
  ASSERT_EQ(create(a1, wid).type(), "RECEIPT");
  ASSERT_EQ(invite(a1, wid, dave).type(), "RECEIPT");
  auto later = member(dave, "d2");
  auto invited = wait_for(*later.client, notice("WORKSPACE", "invited_to_workspace"));
  ASSERT_TRUE(invited) << "told at REGISTER";
  EXPECT_EQ(invited->payload_string("workspace_id"), wid);
  ASSERT_EQ(later.send("WORKSPACE", workspace("leave", wid)).type(), "RECEIPT") << "declines";
  auto again = member(dave, "d3");
  EXPECT_FALSE(wait_for(*again.client, notice("WORKSPACE", "invited_to_workspace"), 500ms));
}
