// `qsip queue enqueue|status|leave` and `qsip agent wait|accept|reject|done`
// (docs/call-centre.md "CLI") as the real binary against a real qsipd
// configured with examples/call-centre.toml.
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
using qsip::test::eventually;
using qsip::test::RunningQsipd;

namespace {




class CliQueue : public ::testing::Test {
 protected:
  CliQueue() : server({"--config", std::string(QSIP_SOURCE_DIR) + "/examples/call-centre.toml"}) {}
  std::vector<std::string> argv(const std::string& user, const std::string& device, std::vector<std::string> args) {
    return qsip_argv(server.port(), server.token(user), std::move(args), device);
  }
  CliRun qsip(const std::string& user, std::vector<std::string> args, const std::string& device = "cli-1") {
    return run_cli(argv(user, device, std::move(args)));
  }
  RunningQsipd server;
};

}  // namespace

TEST_F(CliQueue, ACustomerWaitsAnAgentRejectsThenAccepts) {
  // The customer enqueues and follows its place.
  ChildProcess customer(argv("u-customer", "cli-wait",
                             {"queue", "enqueue", "--queue", "support", "--priority", "high", "--skill", "vpn",
                              "--details", R"({"problem_summary":"VPN"})", "--wait", "--timeout", "60"}));
  ASSERT_TRUE(eventually([&] { return customer.stdout_text().find("\"enqueued\"") != std::string::npos; }))
      << customer.stderr_text();
  const auto receipt = lines(customer.stdout_text())[0];
  const std::string item = field(receipt, "payload.item_id");
  ASSERT_FALSE(item.empty()) << receipt;
  EXPECT_EQ(field(receipt, "payload.position"), "1");

  auto status = qsip("u-customer", {"queue", "status", "--queue", "support", "--item", item});
  ASSERT_EQ(status.status, 0) << status.out << status.err;
  EXPECT_EQ(field(lines(status.out)[0], "payload.status_info.state"), "PENDING");
  EXPECT_EQ(field(lines(status.out)[0], "payload.status_info.position"), "1");

  // Agent A becomes available and is offered the item; it rejects it, then takes it.
  auto offer = qsip("u-agent-a", {"agent", "wait", "--timeout", "20"});
  ASSERT_EQ(offer.status, 0) << offer.out << offer.err;
  auto offered = lines(offer.out);
  ASSERT_EQ(offered.size(), 1u) << offer.out;
  EXPECT_EQ(field(offered[0], "payload.action"), "offer_item");
  EXPECT_EQ(field(offered[0], "payload.item_id"), item);
  auto rejected = qsip("u-agent-a", {"agent", "reject", "--queue", "support", "--item", item});
  ASSERT_EQ(rejected.status, 0) << rejected.out << rejected.err;
  auto again = qsip("u-agent-a", {"agent", "wait", "--timeout", "20"});
  ASSERT_EQ(again.status, 0) << again.out << again.err;
  auto accepted = qsip("u-agent-a", {"agent", "accept", "--queue", "support", "--item", item});
  ASSERT_EQ(accepted.status, 0) << accepted.out << accepted.err;
  EXPECT_EQ(field(lines(accepted.out)[0], "payload.state"), "ASSIGNED_TO_AGENT");

  // The waiting customer learns its agent and stops waiting.
  ASSERT_EQ(customer.wait_exit(20s), 0) << customer.stdout_text() << customer.stderr_text();
  auto followed = lines(customer.stdout_text());
  EXPECT_EQ(field(followed.back(), "type"), "SESSION");
  EXPECT_EQ(field(followed.back(), "payload.agent_display_name"), "Agent A");

  // The accepting CLI connection is gone once it printed its answer, so the
  // agent's call (A.3 step 7) rang nowhere or lost its device: unanswered,
  // the item waits again in its place for the next agent.
  ASSERT_TRUE(eventually([&] {
    auto again_status = qsip("u-customer", {"queue", "status", "--queue", "support", "--item", item});
    return again_status.status == 0 && field(lines(again_status.out)[0], "payload.status_info.state") == "PENDING";
  }));
  auto requeued = qsip("u-customer", {"queue", "status", "--queue", "support", "--item", item});
  EXPECT_EQ(field(lines(requeued.out)[0], "payload.status_info.position"), "1") << requeued.out;
  // It is no longer the agent's to finish.
  auto done = qsip("u-agent-a", {"agent", "done", "--queue", "support", "--item", item});
  EXPECT_EQ(done.status, 1) << done.out << done.err;
  EXPECT_EQ(field(lines(done.out)[0], "payload.code"), "4031") << done.out;
}

TEST_F(CliQueue, LeaveAbandonsAndErrorsExitNonZero) {
  auto enqueued = qsip("u-customer", {"queue", "enqueue", "--queue", "sales", "--priority", "7"});
  ASSERT_EQ(enqueued.status, 0) << enqueued.out << enqueued.err;
  const std::string item = field(lines(enqueued.out)[0], "payload.item_id");
  EXPECT_EQ(field(lines(enqueued.out)[0], "payload.priority"), "7");
  auto stranger = qsip("u-someone", {"queue", "leave", "--queue", "sales", "--item", item});
  EXPECT_EQ(stranger.status, 1);
  EXPECT_EQ(field(lines(stranger.out)[0], "payload.code"), "4031");
  auto left = qsip("u-customer", {"queue", "leave", "--queue", "sales", "--item", item});
  ASSERT_EQ(left.status, 0) << left.out << left.err;
  EXPECT_EQ(field(lines(left.out)[0], "payload.state"), "ABANDONED");
  auto not_offered = qsip("u-agent-b", {"agent", "accept", "--queue", "sales", "--item", item});
  EXPECT_EQ(not_offered.status, 1);
  EXPECT_EQ(field(lines(not_offered.out)[0], "payload.code"), "4045");
  auto usage = qsip("u-agent-b", {"agent", "accept", "--queue", "sales"});
  EXPECT_NE(usage.status, 0) << usage.out << usage.err;  // CLI11 names the missing --item
  EXPECT_NE(usage.err.find("--item"), std::string::npos);
}
