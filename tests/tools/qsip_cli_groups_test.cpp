// The qsip CLI's `group`, `channel` and `workspace` commands (docs/client.md
// "CLI: groups, channels, workspaces"), run as the real binary against a
// real qsipd: each prints its answer as one JSON line and exits 0, or 1 on
// an ERROR.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "cli_test_support.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::ChildProcess;
using namespace qsip::test;  // the CLI test support (cli_test_support.hpp)
using qsip::test::RunningQsipd;

namespace {




class CliGroups : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string id(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static CliRun qsip(const std::string& token, std::vector<std::string> args) {
    return run_cli(qsip_argv(server_->port(), token, std::move(args)));
  }
  // Runs and expects success: one JSON line of `type`.
  static std::string ok(const std::string& token, std::vector<std::string> args, const std::string& type) {
    auto run = qsip(token, args);
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_EQ(line_count(run.out), 1u) << run.out;
    EXPECT_EQ(field(run.out, "type"), type) << run.out;
    return run.out;
  }
  static RunningQsipd* server_;
};
RunningQsipd* CliGroups::server_ = nullptr;

}  // namespace

TEST_F(CliGroups, WorkspaceCommands) {
  const auto alice = id("alice"), bob = id("bob"), wid = id("w-cli");
  const auto at = server_->token(alice), bt = server_->token(bob);
  auto created = ok(at, {"workspace", "create", wid, "--name", "CLI", "--description", "made by qsip"}, "RECEIPT");
  EXPECT_EQ(field(created, "payload.role"), "owner");
  auto refused = qsip(bt, {"workspace", "get", wid});
  EXPECT_EQ(refused.status, 1) << "an ERROR exits 1";
  EXPECT_EQ(field(refused.out, "payload.code"), "4031") << refused.out;
  ok(at, {"workspace", "invite", wid, bob}, "RECEIPT");
  ok(bt, {"workspace", "join", wid}, "RECEIPT");
  ok(at, {"workspace", "role", wid, bob, "admin"}, "RECEIPT");
  auto got = ok(bt, {"workspace", "get", wid}, "WORKSPACE");
  EXPECT_EQ(field(got, "payload.role"), "admin");
  EXPECT_EQ(field(got, "payload.workspace_info.name"), "CLI");
  auto listed = ok(bt, {"workspace", "list", "--limit", "5"}, "WORKSPACE");
  EXPECT_NE(listed.find(wid), std::string::npos);
  auto members = ok(at, {"workspace", "members", wid, "--limit", "1"}, "WORKSPACE");
  EXPECT_EQ(field(members, "payload.has_more"), "true");
  ok(at, {"workspace", "kick", wid, bob}, "RECEIPT");
  EXPECT_EQ(qsip(at, {"workspace", "leave", wid}).status, 1) << "the last owner";
  ok(at, {"workspace", "delete", wid}, "RECEIPT");
  auto gone = qsip(at, {"workspace", "get", wid});
  EXPECT_EQ(field(gone.out, "payload.code"), "4045") << gone.out;
  EXPECT_NE(qsip(at, {"workspace", "role", wid, bob, "moderator"}).status, 0) << "not a workspace role";
}

TEST_F(CliGroups, ChannelCommandsAndSendingToAChannel) {
  const auto alice = id("alice"), bob = id("bob"), cid = id("c-cli");
  const auto at = server_->token(alice), bt = server_->token(bob);
  auto created = ok(at, {"channel", "create", cid, "--name", "CLI channel", "--description", "talk"}, "RECEIPT");
  EXPECT_EQ(field(created, "payload.channel_id"), cid);
  auto joined = ok(bt, {"channel", "join", cid}, "RECEIPT");
  EXPECT_EQ(field(joined, "payload.role"), "member");
  auto listed = ok(bt, {"channel", "list"}, "CHANNEL");
  EXPECT_NE(listed.find("\"channel_id\":\"" + cid + "\""), std::string::npos) << listed;

  auto listener = server_->connect_registered(bob, "b1");
  auto sent = ok(at, {"send", "--channel", cid, "--text", "to the channel"}, "RECEIPT");
  const auto message_id = field(sent, "payload.target_message_id");
  auto got = qsip::test::wait_for(*listener, [&](const Message& m) {
    return m.type() == "MESSAGE" && m.message_id() == message_id;
  });
  ASSERT_TRUE(got) << "bob's device gets the channel message";

  ok(bt, {"channel", "leave", cid}, "RECEIPT");
  EXPECT_EQ(qsip(bt, {"channel", "delete", cid}).status, 1);
  ok(at, {"channel", "delete", cid}, "RECEIPT");
  EXPECT_EQ(field(qsip(bt, {"channel", "join", cid}).out, "payload.code"), "4042");
}

TEST_F(CliGroups, GroupCommands) {
  const auto alice = id("alice"), bob = id("bob"), gid = id("g-cli");
  const auto at = server_->token(alice), bt = server_->token(bob);
  ok(bt, {"workspace", "list"}, "WORKSPACE");  // bob's first REGISTER makes his account (open registration)
  auto created = ok(at, {"group", "create", "--id", gid, "--name", "CLI group", "--visibility", "private"}, "RECEIPT");
  EXPECT_EQ(field(created, "payload.group_id"), gid);
  ok(at, {"group", "update", gid, "--topic", "a topic"}, "RECEIPT");
  ok(at, {"group", "invite", gid, bob}, "RECEIPT");
  ok(bt, {"group", "join", gid}, "RECEIPT");
  ok(at, {"group", "role", gid, bob, "moderator"}, "RECEIPT");
  auto info = ok(bt, {"group", "info", gid}, "GROUP");
  EXPECT_EQ(field(info, "payload.role"), "moderator");
  EXPECT_EQ(field(info, "payload.topic"), "a topic");
  auto members = ok(bt, {"group", "members", gid, "--limit", "1"}, "GROUP");
  EXPECT_EQ(field(members, "payload.has_more"), "true");
  EXPECT_EQ(qsip(bt, {"group", "delete", gid}).status, 1) << "a moderator does not delete";
  ok(at, {"group", "kick", gid, bob}, "RECEIPT");
  EXPECT_EQ(field(qsip(bt, {"group", "leave", gid}).out, "payload.code"), "4051");
  ok(at, {"group", "delete", gid}, "RECEIPT");
}
