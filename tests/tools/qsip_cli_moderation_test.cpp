// `qsip moderate ...` (docs/moderation.md "CLI") run as the real binary
// against a real qsipd whose configuration names the server administrator
// u-root, with libqsip clients as the members acted on.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"
#include "cli_test_support.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::ChildProcess;
using namespace qsip::test;  // the CLI test support (cli_test_support.hpp)
using qsip::test::envelope;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;

namespace {




std::function<bool(const Message&)> moderation(std::string action) {
  return [action](const Message& m) { return m.type() == "MODERATION" && m.payload_string("action") == action; };
}

class CliModeration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd({}, "[auth]\nserver_admins = [\"u-root\"]\n"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string user(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  // Runs `qsip moderate ARGS...` as the holder of `token`.
  static CliRun moderate(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), "moderate");
    return run_cli(qsip_argv(server_->port(), token, std::move(args)));
  }
  static Message group(Client& c, const std::string& user, const std::string& device,
                       const core::builders::GroupPayload& payload) {
    return c.request(envelope("GROUP", user, device, payload.json())).get();
  }
  static RunningQsipd* server_;
};
RunningQsipd* CliModeration::server_ = nullptr;

}  // namespace

TEST_F(CliModeration, MuteUnmuteKickBanAndUnbanPrintTheAnswerAndExitNonZeroOnError) {
  const auto alice = user("alice"), bob = user("bob"), gid = user("g");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  using core::builders::GroupPayload;
  ASSERT_EQ(group(*a, alice, "a1", GroupPayload().action("create").group_id(gid).visibility("public")).type(), "RECEIPT");
  ASSERT_EQ(group(*b, bob, "b1", GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  const auto owner = server_->token(alice);

  auto muted = moderate(owner, {"mute", "--group", gid, "--user", bob, "--reason", "calm down", "--duration", "60"});
  ASSERT_EQ(muted.status, 0) << muted.out << muted.err;
  ASSERT_EQ(line_count(muted.out), 1u) << muted.out;
  EXPECT_EQ(field(muted.out, "type"), "RECEIPT");
  EXPECT_EQ(field(muted.out, "payload.action"), "mute_user_in_group");
  EXPECT_EQ(field(muted.out, "payload.target_user_id"), bob);
  EXPECT_FALSE(field(muted.out, "payload.expires_at").empty());
  auto told = wait_for(*b, moderation("mute_user_in_group"));
  ASSERT_TRUE(told);
  EXPECT_EQ(told->payload_string("reason"), "calm down");

  EXPECT_EQ(moderate(owner, {"unmute", "--group", gid, "--user", bob}).status, 0);
  auto again = moderate(owner, {"unmute", "--group", gid, "--user", bob});
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(field(again.out, "type"), "ERROR");
  EXPECT_EQ(field(again.out, "payload.code"), "4051");

  auto banned = moderate(owner, {"ban", "--group", gid, "--user", bob, "--until", "2099-01-01T00:00:00Z"});
  EXPECT_EQ(banned.status, 1) << "more than a year ahead";
  EXPECT_EQ(field(banned.out, "payload.code"), "4001");
  banned = moderate(owner, {"ban", "--group", gid, "--user", bob, "--duration", "3600"});
  ASSERT_EQ(banned.status, 0) << banned.out << banned.err;
  ASSERT_TRUE(wait_for(*b, moderation("ban_user_from_group")));
  EXPECT_EQ(group(*b, bob, "b1", GroupPayload().action("join").group_id(gid)).error_code(), 4031);
  EXPECT_EQ(moderate(owner, {"unban", "--group", gid, "--user", bob}).status, 0);
  ASSERT_EQ(group(*b, bob, "b1", GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  auto kicked = moderate(owner, {"kick", "--group", gid, "--user", bob, "--reason", "bye"});
  ASSERT_EQ(kicked.status, 0) << kicked.out;
  EXPECT_EQ(field(kicked.out, "payload.action"), "kick_user_from_group");

  // Usage mistakes: exit non-zero, nothing sent.
  auto both = moderate(owner, {"mute", "--group", gid, "--user", bob, "--duration", "5", "--until", "2026-01-01T00:00:00Z"});
  EXPECT_NE(both.status, 0);
  EXPECT_NE(both.status, 1);
  EXPECT_EQ(line_count(both.out), 0u);
  EXPECT_NE(moderate(owner, {"mute", "--user", bob}).status, 0) << "--group required";
}

TEST_F(CliModeration, WarnSuspendAndDeleteMessageAsServerAdministrator) {
  const auto alice = user("alice"), bob = user("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  const auto root = server_->token("u-root");

  auto refused = moderate(server_->token(alice), {"warn", "--user", bob});
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(field(refused.out, "payload.code"), "4014");
  auto warned = moderate(root, {"warn", "--user", bob, "--reason", "read the rules"});
  ASSERT_EQ(warned.status, 0) << warned.out << warned.err;
  auto warning = wait_for(*b, moderation("warn_user"));
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->payload_string("reason"), "read the rules");

  const std::string mid = "m-cli-" + bob;
  ASSERT_EQ(b->request(envelope("MESSAGE", bob, "b1", R"({"message_type":"text","content":"x"})", mid, alice)).get().type(),
            "RECEIPT");
  auto deleted = moderate(root, {"delete-message", "--message", mid, "--reason", "spam"});
  ASSERT_EQ(deleted.status, 0) << deleted.out << deleted.err;
  EXPECT_EQ(field(deleted.out, "payload.deleted_message_id"), mid);
  ASSERT_TRUE(wait_for(*a, [&](const Message& m) {
    return m.type() == "MESSAGE_ACTION" && m.payload_string("target_message_id") == mid;
  }));

  auto suspended = moderate(root, {"suspend", "--user", bob, "--duration", "60", "--reason", "abuse"});
  ASSERT_EQ(suspended.status, 0) << suspended.out << suspended.err;
  EXPECT_EQ(field(suspended.out, "payload.action"), "suspend_user_account");
  ASSERT_TRUE(wait_for(*b, moderation("suspend_user_account")));
}
