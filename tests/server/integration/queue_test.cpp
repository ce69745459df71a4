// The call-centre queues end to end (docs/call-centre.md): the real qsipd
// over real QUIC, each test on a server of its own configured for it.
// Appendix A.3 step by step with a customer, two agents and a supervisor
// (who listens, whispers and barges in the call); then routing: skills, rejection and timeout, abandonment by dequeue and
// by disconnect, queue full, priorities, restart with items waiting,
// statistics and run-time configuration.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "client_waits.hpp"
#include "queue_e2e.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;
using namespace qsip::test::queue_e2e;

TEST_F(QueueE2E, AppendixA3StepByStep) {
  start();
  auto customer = login("u-customer", "d-customer");
  auto supervisor = login("u-supervisor", "d-supervisor");
  auto b = agent("u-agent-b");  // billing only: cannot take a vpn item

  // 1. Customer -> Server: QUEUE enqueue to "support" with details.
  auto receipt = ask(*customer, "u-customer", "d-customer",
                     R"({"action":"enqueue","queue_id":"support","customer_id":"u-customer","priority":"high",
                         "details":{"problem_summary":"Cannot connect to VPN"},"required_skills":["vpn","network"]})");
  // 2. Server -> Customer: RECEIPT enqueued with item_id, position, estimated wait.
  ASSERT_EQ(receipt.type(), "RECEIPT") << receipt.json();
  EXPECT_EQ(receipt.payload_string("status"), "enqueued");
  const std::string i1(receipt.payload_string("item_id").value_or(""));
  ASSERT_FALSE(i1.empty());
  EXPECT_EQ(receipt.payload_int("position"), 1);
  ASSERT_TRUE(receipt.payload_int("estimated_wait_time_seconds").has_value());
  EXPECT_GT(*receipt.payload_int("estimated_wait_time_seconds"), 0);  // nobody able to take it yet
  EXPECT_EQ(receipt.from_user_id(), "qsip-server");

  // The supervisor watches the queue: one waiting, nobody available for it yet.
  auto subscribed = ask(*supervisor, "u-supervisor", "d-supervisor", R"({"action":"subscribe_stats","queue_id":"support"})");
  ASSERT_EQ(subscribed.type(), "RECEIPT") << subscribed.json();
  auto stats = wait_for(*supervisor, [](const Message& m) {
    return m.type() == "ANALYTICS" && m.payload_string("event_name") == "queue_stats";
  });
  ASSERT_TRUE(stats);
  EXPECT_NE(stats->payload_json("value")->find("\"waiting\":1"), std::string::npos) << stats->json();

  // 3. Time passes, agents become available: A logs in and is available.
  EXPECT_FALSE(wait_for(*b, queue_action("offer_item"), 300ms)) << "offered to an agent without the skills";
  auto a = agent("u-agent-a");
  // 4. Server -> AgentA: QUEUE offer_item with item_id, customer_id, details.
  auto offer = wait_for(*a, queue_action("offer_item", i1));
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->payload_string("customer_id"), "u-customer");
  EXPECT_NE(offer->payload_json("details")->find("Cannot connect to VPN"), std::string::npos);
  EXPECT_EQ(offer->from_user_id(), "qsip-server");

  // 5. AgentA -> Server: QUEUE agent_accept.
  auto accepted = ask(*a, "u-agent-a", "d-u-agent-a",
                      R"({"action":"agent_accept","queue_id":"support","item_id":")" + i1 + R"(","agent_id":"u-agent-a"})");
  ASSERT_EQ(accepted.type(), "RECEIPT") << accepted.json();
  EXPECT_EQ(accepted.payload_string("state"), "ASSIGNED_TO_AGENT");

  // 6. Server -> Customer: SESSION agent_connecting with the agent's display name.
  auto connecting = wait_for(*customer, [](const Message& m) {
    return m.type() == "SESSION" && m.payload_string("action") == "agent_connecting";
  });
  ASSERT_TRUE(connecting);
  EXPECT_EQ(connecting->payload_string("agent_display_name"), "Agent A");
  EXPECT_EQ(connecting->payload_string("item_id"), i1);
  EXPECT_FALSE(connecting->session_id().empty());
  const std::string session(connecting->session_id());
  EXPECT_EQ(session, "s-" + i1);

  // 7. Server -> AgentA: INVITE in that session, from the server, naming the customer.
  auto invite = wait_for(*a, [&](const Message& m) { return m.type() == "INVITE" && m.session_id() == session; });
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->from_user_id(), "qsip-server");
  EXPECT_EQ(invite->payload_string("caller_user_id"), "u-customer");
  EXPECT_EQ(invite->payload_string("purpose"), "customer_support_call");
  EXPECT_EQ(invite->payload_string("queue_item_id"), i1);
  EXPECT_NE(invite->payload_json("codecs")->find("opus/48000/2"), std::string::npos) << invite->json();

  // AgentA accepts: the customer receives the ACCEPT, the item is ACTIVE_WITH_AGENT.
  auto accept = a->request(in_session(envelope("ACCEPT", "u-agent-a", "d-u-agent-a",
                                               R"({"codecs":{"audio":["opus/48000/2"]}})", {}, "u-customer"),
                                      session)).get();
  ASSERT_EQ(accept.type(), "RECEIPT") << accept.json();
  EXPECT_EQ(accept.payload_string("state"), "active");
  auto answered = wait_for(*customer, [&](const Message& m) { return m.type() == "ACCEPT" && m.session_id() == session; });
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->from_user_id(), "u-agent-a");
  EXPECT_TRUE(item_state_becomes(*customer, "u-customer", "d-customer", i1, "\"ACTIVE_WITH_AGENT\""));

  // The supervisor's next push: none waiting, one handled, within target.
  auto later = wait_for(*supervisor, [](const Message& m) {
    return m.type() == "ANALYTICS" && m.payload_json("value")->find("\"handled\":1") != std::string::npos;
  });
  ASSERT_TRUE(later);
  EXPECT_NE(later->payload_json("value")->find("\"waiting\":0"), std::string::npos);
  EXPECT_NE(later->payload_json("value")->find("\"service_level_percent\":100"), std::string::npos) << later->json();

  // 8. The call proceeds like a P2P call, and the supervisor (1.4.6:
  // listen-in, whisper, barge) takes part in it (docs/call-centre.md
  // "Supervisors"). Listen: its device learns who is in the call and their
  // flow ids; agent A is told, the customer is not.
  auto listening = supervisor->request(in_session(envelope("SESSION", "u-supervisor", "d-supervisor",
                                                           R"({"action":"listen"})"), session)).get();
  ASSERT_EQ(listening.type(), "RECEIPT") << listening.json();
  EXPECT_EQ(listening.payload_string("mode"), "listen");
  EXPECT_NE(listening.payload_json("participants")->find("\"u-customer\""), std::string::npos);
  EXPECT_NE(listening.payload_json("participants")->find("\"u-agent-a\""), std::string::npos);
  auto monitored = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(monitored);
  EXPECT_EQ(monitored->payload_string("action"), "participant_joined");
  EXPECT_EQ(monitored->payload_string("mode"), "listen");
  // Whisper, heard by agent A only: A gets the SESSION, the customer nothing.
  auto whisper = supervisor->request(in_session(envelope("SESSION", "u-supervisor", "d-supervisor",
      R"({"action":"whisper","tracks":[{"track_id":"sup","kind":"audio","codec":"opus/48000/2","flow_id":30}]})"),
      session)).get();
  ASSERT_EQ(whisper.type(), "RECEIPT") << whisper.json();
  auto coached = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(coached);
  EXPECT_EQ(coached->payload_string("action"), "whisper");
  EXPECT_EQ(coached->from_user_id(), "u-supervisor");
  // Barge: now the customer is told, with the supervisor's flow id.
  auto barge = supervisor->request(in_session(envelope("SESSION", "u-supervisor", "d-supervisor",
                                                       R"({"action":"barge"})"), session)).get();
  ASSERT_EQ(barge.type(), "RECEIPT") << barge.json();
  auto joined = wait_for(*customer, [&](const Message& m) { return m.session_id() == session; });
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->payload_string("action"), "participant_joined") << "the customer heard of a whisper: " << joined->json();
  EXPECT_EQ(joined->payload_string("user_id"), "u-supervisor");
  EXPECT_EQ(joined->payload_string("mode"), "barge");
  EXPECT_NE(joined->payload_json("tracks")->find("\"flow_id\":30"), std::string::npos);
  ASSERT_TRUE(wait_for(*a, [&](const Message& m) { return m.session_id() == session && m.payload_string("action") == "barge"; }));
  // The supervisor leaves; the call goes on between customer and agent.
  ASSERT_EQ(supervisor->request(in_session(envelope("END", "u-supervisor", "d-supervisor", R"({"reason":"hangup"})"),
                                           session)).get().type(), "RECEIPT");
  for (auto* side : {customer.get(), a.get()}) {
    auto left = wait_for(*side, [&](const Message& m) { return m.session_id() == session && m.type() == "SESSION"; });
    ASSERT_TRUE(left);
    EXPECT_EQ(left->payload_string("action"), "participant_left");
  }

  // The customer hangs up, the agent receives the END, and the item is RESOLVED.
  auto hangup = customer->request(in_session(envelope("END", "u-customer", "d-customer", R"({"reason":"hangup"})",
                                                      {}, "u-agent-a"), session)).get();
  ASSERT_EQ(hangup.type(), "RECEIPT") << hangup.json();
  auto ended = wait_for(*a, [&](const Message& m) { return m.type() == "END" && m.session_id() == session; });
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->from_user_id(), "u-customer");
  // The agent's own END finds the call already over.
  auto late = a->request(in_session(envelope("END", "u-agent-a", "d-u-agent-a", R"({"reason":"hangup"})",
                                             {}, "u-customer"), session)).get();
  EXPECT_EQ(late.type(), "ERROR") << late.json();
  auto resolved = wait_for(*customer, queue_action("dequeue", i1));
  ASSERT_TRUE(resolved);
  EXPECT_EQ(status_member(*resolved, "state"), "\"RESOLVED\"") << resolved->json();
  ASSERT_TRUE(wait_for(*a, queue_action("dequeue", i1)));
  // Closed: get_status no longer finds it as open.
  auto gone = ask(*customer, "u-customer", "d-customer", R"({"action":"get_status","queue_id":"support","item_id":")" + i1 + "\"}");
  EXPECT_EQ(gone.error_code(), 4045) << gone.json();
}

// The agent accepted the item but declines the call: the item waits again
// in its place (the customer is told its position), the agent is told it
// left, and the next agent's call has a session of its own.
TEST_F(QueueE2E, AnAgentRejectingTheCallRequeuesTheItemForTheNextAgent) {
  start();
  auto c1 = login("u-c1", "d-u-c1");
  auto c2 = login("u-c2", "d-u-c2");
  auto a = agent("u-agent-a");
  const auto i1 = enqueue(*c1, "u-c1", R"(,"priority":"high")");
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", i1)));
  const auto i2 = enqueue(*c2, "u-c2");  // waits behind i1
  auto accepted = ask(*a, "u-agent-a", "d-u-agent-a",
                      R"({"action":"agent_accept","queue_id":"support","item_id":")" + i1 + "\"}");
  ASSERT_EQ(accepted.type(), "RECEIPT") << accepted.json();
  const std::string first = "s-" + i1;
  ASSERT_TRUE(wait_for(*c1, [](const Message& m) { return m.payload_string("action") == "agent_connecting"; }));
  ASSERT_TRUE(wait_for(*a, in_call("INVITE", first)));
  auto rejected = call(*a, "u-agent-a", "REJECT", first, R"({"reason":"busy"})", "u-c1");
  ASSERT_EQ(rejected.type(), "RECEIPT") << rejected.json();
  ASSERT_TRUE(wait_for(*c1, in_call("REJECT", first)));

  // Back to PENDING, first in line again with its priority.
  auto place = wait_for(*c1, queue_action("position_update", i1));
  ASSERT_TRUE(place);
  EXPECT_EQ(status_member(*place, "state"), "\"PENDING\"") << place->json();
  EXPECT_EQ(status_member(*place, "position"), "1") << place->json();
  auto left = wait_for(*a, queue_action("dequeue", i1));
  ASSERT_TRUE(left);
  EXPECT_NE(left->payload_json("status_info")->find("call_not_answered"), std::string::npos) << left->json();
  auto own = ask(*c2, "u-c2", "d-u-c2", R"({"action":"get_status","queue_id":"support"})");
  EXPECT_EQ(status_member(own, "position"), "2") << own.json();

  // A declined i1 in effect: it gets i2, and i1 goes to the next agent.
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", i2)));
  auto b = agent("u-agent-b");
  ASSERT_TRUE(wait_for(*b, queue_action("offer_item", i1)));
  ASSERT_EQ(ask(*b, "u-agent-b", "d-u-agent-b",
                R"({"action":"agent_accept","queue_id":"support","item_id":")" + i1 + "\"}").type(), "RECEIPT");
  const std::string second = "s-" + i1 + "-2";
  auto connecting = wait_for(*c1, [](const Message& m) { return m.payload_string("action") == "agent_connecting"; });
  ASSERT_TRUE(connecting);
  EXPECT_EQ(connecting->session_id(), second) << "a session id is never used twice";
  EXPECT_EQ(connecting->payload_string("agent_id"), "u-agent-b");
  ASSERT_TRUE(wait_for(*b, in_call("INVITE", second)));
  ASSERT_EQ(call(*b, "u-agent-b", "ACCEPT", second, "{}", "u-c1").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*c1, in_call("ACCEPT", second)));
  EXPECT_TRUE(item_state_becomes(*c1, "u-c1", "d-u-c1", i1, "\"ACTIVE_WITH_AGENT\""));
}

// An item whose customer is not connected when the agent accepts (here one
// an admin enqueued on the customer's behalf) has nobody to call: it stays
// with the agent, who finishes it with dequeue; nobody else is offered it.
TEST_F(QueueE2E, AnAcceptedItemWhoseCustomerIsOfflineStaysWithTheAgent) {
  start();
  auto root = login("u-root", "d-u-root");
  const auto item = enqueue(*root, "u-root", R"(,"customer_id":"u-offline")");
  ASSERT_FALSE(item.empty());
  auto a = agent("u-agent-a");
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", item)));
  auto accepted = ask(*a, "u-agent-a", "d-u-agent-a",
                      R"({"action":"agent_accept","queue_id":"support","item_id":")" + item + "\"}");
  ASSERT_EQ(accepted.type(), "RECEIPT") << accepted.json();
  EXPECT_TRUE(item_state_becomes(*root, "u-root", "d-u-root", item, "\"ASSIGNED_TO_AGENT\""));
  // No call rang, and another agent coming online is not offered the item.
  auto b = agent("u-agent-b");
  EXPECT_FALSE(wait_for(*b, queue_action("offer_item", item), 1s));
  EXPECT_FALSE(wait_for(*a, in_call("INVITE", "s-" + item), 100ms));
  EXPECT_TRUE(item_state_becomes(*root, "u-root", "d-u-root", item, "\"ASSIGNED_TO_AGENT\""));
  // The agent finishes it.
  auto done = ask(*a, "u-agent-a", "d-u-agent-a",
                  R"({"action":"dequeue","queue_id":"support","item_id":")" + item + "\"}");
  ASSERT_NE(done.type(), "ERROR") << done.json();
  EXPECT_NE(done.json().find("RESOLVED"), std::string::npos) << done.json();
}

// Ringing that times out, and an agent whose device goes away while it
// rings, put the item back too; the customer hanging up first does not.
TEST_F(QueueE2E, AnUnansweredOrLostAgentCallRequeuesACustomersHangUpResolves) {
  start({.ringing_timeout = 1});
  auto customer = login("u-c1", "d-u-c1");
  auto item = enqueue(*customer, "u-c1");
  auto accept_and_ring = [&](Client& agent_client, const std::string& agent_id, const std::string& session) {
    ASSERT_TRUE(wait_for(agent_client, queue_action("offer_item", item), 10s));
    ASSERT_EQ(ask(agent_client, agent_id, "d-" + agent_id,
                  R"({"action":"agent_accept","queue_id":"support","item_id":")" + item + "\"}").type(), "RECEIPT");
    ASSERT_TRUE(wait_for(agent_client, in_call("INVITE", session)));
  };
  auto a = agent("u-agent-a");
  accept_and_ring(*a, "u-agent-a", "s-" + item);
  // Not answered within the ringing timeout: END timeout to both sides.
  auto timeout = wait_for(*customer, in_call("END", "s-" + item));
  ASSERT_TRUE(timeout);
  EXPECT_EQ(timeout->payload_string("reason"), "timeout");
  auto place = wait_for(*customer, queue_action("position_update", item));
  ASSERT_TRUE(place);
  EXPECT_EQ(status_member(*place, "state"), "\"PENDING\"");
  {
    // The next able agent takes it, and goes away while its call rings.
    auto b = agent("u-agent-b");
    accept_and_ring(*b, "u-agent-b", "s-" + item + "-2");
  }
  auto lost = wait_for(*customer, [&](const Message& m) {
    return (m.type() == "REJECT" || m.type() == "END") && m.session_id() == "s-" + item + "-2";
  });
  ASSERT_TRUE(lost);
  ASSERT_TRUE(wait_for(*customer, queue_action("position_update", item)));
  // Every able agent declined it once: it starts over with a. A third call,
  // and the customer hangs up before the answer: RESOLVED.
  accept_and_ring(*a, "u-agent-a", "s-" + item + "-3");
  ASSERT_EQ(call(*customer, "u-c1", "END", "s-" + item + "-3", R"({"reason":"hangup"})", "u-agent-a").type(), "RECEIPT");
  auto resolved = wait_for(*customer, queue_action("dequeue", item));
  ASSERT_TRUE(resolved);
  EXPECT_EQ(status_member(*resolved, "state"), "\"RESOLVED\"") << resolved->json();
}

// An agent in a call of its own, made or accepted, is offered nothing until
// its last call ends; then it is available again (its presence says so).
TEST_F(QueueE2E, AnAgentInADirectCallIsOfferedNothingUntilItEnds) {
  start();
  auto a = agent("u-agent-a");
  auto friend1 = login("u-friend", "d-u-friend");
  auto friend2 = login("u-friend2", "d-u-friend2");
  auto supervisor = login("u-supervisor", "d-u-supervisor");
  auto customer = login("u-c1", "d-u-c1");
  auto agents_available = [&](int n) {
    auto r = ask(*supervisor, "u-supervisor", "d-u-supervisor", R"({"action":"get_stats","queue_id":"support"})");
    auto stats = wait_for(*supervisor, [](const Message& m) { return m.type() == "ANALYTICS"; });
    return r.type() == "RECEIPT" && stats &&
           stats->payload_json("value")->find("\"agents_available\":" + std::to_string(n) + ",") != std::string::npos;
  };
  ASSERT_TRUE(qsip::test::eventually([&] { return agents_available(1); }));

  // a accepts a call from a friend.
  ASSERT_EQ(call(*friend1, "u-friend", "INVITE", "s-direct-1", R"({"media_types":["audio"]})", "u-agent-a").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, in_call("INVITE", "s-direct-1")));
  ASSERT_EQ(call(*a, "u-agent-a", "ACCEPT", "s-direct-1", "{}", "u-friend").type(), "RECEIPT");
  EXPECT_TRUE(qsip::test::eventually([&] { return agents_available(0); }));
  const auto item = enqueue(*customer, "u-c1");
  EXPECT_FALSE(wait_for(*a, queue_action("offer_item", item), 500ms)) << "offered during a call";
  // a places a second call of its own; the first one ends: still busy.
  ASSERT_EQ(call(*a, "u-agent-a", "INVITE", "s-direct-2", R"({"media_types":["audio"]})", "u-friend2").type(), "RECEIPT");
  ASSERT_EQ(call(*friend1, "u-friend", "END", "s-direct-1", R"({"reason":"hangup"})", "u-agent-a").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, in_call("END", "s-direct-1")));
  EXPECT_FALSE(wait_for(*a, queue_action("offer_item", item), 500ms)) << "offered while inviting";
  // Its last call ends (it cancels the invitation): the item is offered.
  ASSERT_EQ(call(*a, "u-agent-a", "END", "s-direct-2", R"({"reason":"hangup"})", "u-friend2").type(), "RECEIPT");
  EXPECT_TRUE(wait_for(*a, queue_action("offer_item", item)));
}

TEST_F(QueueE2E, RejectAndTimeoutGoToTheNextAgent) {
  start({.offer_timeout = 2});
  auto customer = login("u-c1", "d-u-c1");
  auto a = agent("u-agent-a");
  std::this_thread::sleep_for(50ms);  // b idles less long than a
  auto b = agent("u-agent-b");
  const auto item = enqueue(*customer, "u-c1");
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", item))) << "the longest idle agent first";

  auto rejected = ask(*a, "u-agent-a", "d-u-agent-a", R"({"action":"agent_reject","queue_id":"support","item_id":")" + item + "\"}");
  ASSERT_EQ(rejected.type(), "RECEIPT") << rejected.json();
  ASSERT_TRUE(wait_for(*b, queue_action("offer_item", item))) << "not re-offered after the rejection";

  // b lets it time out: it is withdrawn from b and goes back to a (everyone declined once).
  auto withdrawn = wait_for(*b, queue_action("dequeue", item), 5s);
  ASSERT_TRUE(withdrawn);
  EXPECT_NE(withdrawn->payload_json("status_info")->find("offer_timeout"), std::string::npos);
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", item), 5s)) << "not re-offered after the timeout";

  // Answers for offers not made to you are refused.
  auto stolen = ask(*b, "u-agent-b", "d-u-agent-b", R"({"action":"agent_accept","queue_id":"support","item_id":")" + item + "\"}");
  EXPECT_EQ(stolen.error_code(), 4031) << stolen.json();
  auto foreign = ask(*b, "u-agent-b", "d-u-agent-b",
                     R"({"action":"agent_accept","queue_id":"support","item_id":")" + item + R"(","agent_id":"u-agent-a"})");
  EXPECT_EQ(foreign.error_code(), 4031) << foreign.json();
  auto missing = ask(*b, "u-agent-b", "d-u-agent-b", R"({"action":"agent_accept","queue_id":"support"})");
  EXPECT_EQ(missing.error_code(), 4001);
  EXPECT_NE(std::string(missing.payload_string("detail").value_or("")).find("item_id"), std::string::npos);
}

TEST_F(QueueE2E, SkillsRouteToTheAgentWhoHasThem) {
  start();
  auto customer = login("u-c1", "d-u-c1");
  auto a = agent("u-agent-a");
  auto b = agent("u-agent-b");
  auto r = ask(*customer, "u-c1", "d-u-c1", R"({"action":"enqueue","queue_id":"sales"})");
  ASSERT_EQ(r.payload_string("status"), "enqueued") << r.json();
  const std::string item(r.payload_string("item_id").value_or(""));
  ASSERT_TRUE(wait_for(*b, queue_action("offer_item", item)));
  EXPECT_FALSE(wait_for(*a, queue_action("offer_item"), 300ms)) << "sales needs billing";
}

TEST_F(QueueE2E, DequeueAbandonsAndWaitingCustomersMoveUp) {
  start();
  auto c1 = login("u-c1", "d-u-c1");
  auto c2 = login("u-c2", "d-u-c2");
  auto c3 = login("u-c3", "d-u-c3");
  const auto first = enqueue(*c1, "u-c1");
  const auto second = enqueue(*c2, "u-c2");
  auto r3 = ask(*c3, "u-c3", "d-u-c3", R"({"action":"enqueue","queue_id":"support","priority":"low"})");
  EXPECT_EQ(r3.payload_int("position"), 3);
  const std::string third(r3.payload_string("item_id").value_or(""));

  // Only the customer (or a supervisor) may take an item out.
  auto other = ask(*c2, "u-c2", "d-u-c2", R"({"action":"dequeue","queue_id":"support","item_id":")" + first + "\"}");
  EXPECT_EQ(other.error_code(), 4031);
  auto left = ask(*c1, "u-c1", "d-u-c1", R"({"action":"dequeue","queue_id":"support","item_id":")" + first + "\"}");
  ASSERT_EQ(left.type(), "RECEIPT") << left.json();
  EXPECT_EQ(left.payload_string("state"), "ABANDONED");
  auto moved = wait_for(*c2, queue_action("position_update", second));
  ASSERT_TRUE(moved);
  EXPECT_EQ(status_member(*moved, "position"), "1");
  auto moved3 = wait_for(*c3, queue_action("position_update", third));
  ASSERT_TRUE(moved3);
  EXPECT_EQ(status_member(*moved3, "position"), "2");
  auto status = ask(*c1, "u-c1", "d-u-c1", R"({"action":"get_status","queue_id":"support","item_id":")" + first + "\"}");
  EXPECT_EQ(status.error_code(), 4045);

  // A supervisor raises the low-priority item above the other.
  auto customer_try = ask(*c3, "u-c3", "d-u-c3",
                          R"({"action":"update_priority","queue_id":"support","item_id":")" + third + R"(","priority":"high"})");
  EXPECT_EQ(customer_try.error_code(), 4014);
  auto supervisor = login("u-supervisor", "d-s");
  auto raised = ask(*supervisor, "u-supervisor", "d-s",
                    R"({"action":"update_priority","queue_id":"support","item_id":")" + third + R"(","priority":900})");
  ASSERT_EQ(raised.type(), "RECEIPT") << raised.json();
  auto up = wait_for(*c3, queue_action("position_update", third));
  ASSERT_TRUE(up);
  EXPECT_EQ(status_member(*up, "position"), "1");
  auto own = ask(*c2, "u-c2", "d-u-c2", R"({"action":"get_status","queue_id":"support"})");
  ASSERT_EQ(own.type(), "QUEUE") << own.json();
  EXPECT_EQ(status_member(own, "position"), "2");
}

TEST_F(QueueE2E, DisconnectPastTheGracePeriodAbandons) {
  start({.grace = 2});
  auto supervisor = login("u-supervisor", "d-s");
  {
    auto gone = login("u-gone", "d-u-gone");
    enqueue(*gone, "u-gone");
    auto stays = login("u-stays", "d-u-stays");
    enqueue(*stays, "u-stays");
  }  // both connections go away ...
  auto back = login("u-stays", "d-u-stays2");  // ... a customer back within the grace period
  auto abandoned = [&] {
    auto r = ask(*supervisor, "u-supervisor", "d-s", R"({"action":"get_stats","queue_id":"support"})");
    if (r.type() != "RECEIPT") return false;
    auto m = wait_for(*supervisor, [](const Message& x) { return x.type() == "ANALYTICS"; });
    return m && m->payload_json("value")->find("\"abandoned\":1,") != std::string::npos &&
           m->payload_json("value")->find("\"waiting\":1,") != std::string::npos;
  };
  EXPECT_TRUE(qsip::test::eventually(abandoned, 8s));
  auto still = ask(*back, "u-stays", "d-u-stays2", R"({"action":"get_status","queue_id":"support"})");
  ASSERT_EQ(still.type(), "QUEUE") << still.json();
  EXPECT_EQ(status_member(still, "position"), "1");
}

TEST_F(QueueE2E, AFullQueueAnswers5004) {
  start({.support_max = 2});
  for (const char* user : {"u-c1", "u-c2"}) {
    auto c = login(user, std::string("d-") + user);
    enqueue(*c, user);
  }
  auto late = login("u-c3", "d-u-c3");
  auto full = ask(*late, "u-c3", "d-u-c3", R"({"action":"enqueue","queue_id":"support"})");
  EXPECT_EQ(full.error_code(), 5004) << full.json();
  EXPECT_NE(std::string(full.payload_string("detail").value_or("")).find("payload.queue_id"), std::string::npos);
  auto nowhere = ask(*late, "u-c3", "d-u-c3", R"({"action":"enqueue","queue_id":"nowhere"})");
  EXPECT_EQ(nowhere.error_code(), 4045);
  auto offer = ask(*late, "u-c3", "d-u-c3", R"({"action":"offer_item","queue_id":"support","item_id":"x"})");
  EXPECT_EQ(offer.error_code(), 4052);
}

TEST_F(QueueE2E, ARestartKeepsEveryWaitingItemInItsPlace) {
  start();
  auto c1 = login("u-c1", "d-u-c1");
  auto c2 = login("u-c2", "d-u-c2");
  auto c3 = login("u-c3", "d-u-c3");
  const auto i1 = enqueue(*c1, "u-c1");
  const auto i2 = enqueue(*c2, "u-c2", R"(,"priority":"high")");
  const auto i3 = enqueue(*c3, "u-c3");
  server->kill_and_restart();
  // The clients reconnect by themselves and register again.
  auto position_of = [&](Client& c, const std::string& user, const std::string& item) {
    auto m = ask(c, user, "d-" + user, R"({"action":"get_status","queue_id":"support","item_id":")" + item + "\"}");
    return m.type() == "QUEUE" ? status_member(m, "position") : std::string();
  };
  ASSERT_TRUE(qsip::test::eventually([&] { return position_of(*c2, "u-c2", i2) == "1"; }, 15s));
  EXPECT_TRUE(qsip::test::eventually([&] { return position_of(*c1, "u-c1", i1) == "2"; }, 15s));
  EXPECT_TRUE(qsip::test::eventually([&] { return position_of(*c3, "u-c3", i3) == "3"; }, 15s));
  // And they are routed as before.
  auto a = agent("u-agent-a");
  auto offer = wait_for(*a, queue_action("offer_item"));
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->payload_string("item_id"), i2);
}

TEST_F(QueueE2E, AdminsConfigureQueuesAndAgentsAtRunTime) {
  start();
  auto root = login("u-root", "d-root");
  auto customer = login("u-c1", "d-u-c1");
  auto supervisor = login("u-supervisor", "d-s");
  auto refused = ask(*supervisor, "u-supervisor", "d-s", R"({"action":"configure_queue","queue_id":"vip"})");
  EXPECT_EQ(refused.error_code(), 4014);
  auto made = ask(*root, "u-root", "d-root", R"({"action":"configure_queue","queue_id":"vip","required_skills":["gold"],"max_size":1})");
  ASSERT_EQ(made.type(), "RECEIPT") << made.json();
  auto agent_made = ask(*root, "u-root", "d-root", R"({"action":"configure_agent","agent_id":"u-gold","skills":["gold"]})");
  ASSERT_EQ(agent_made.type(), "RECEIPT") << agent_made.json();
  auto gold = agent("u-gold");
  auto r = ask(*customer, "u-c1", "d-u-c1", R"({"action":"enqueue","queue_id":"vip"})");
  ASSERT_EQ(r.payload_string("status"), "enqueued") << r.json();
  const std::string item(r.payload_string("item_id").value_or(""));
  ASSERT_TRUE(wait_for(*gold, queue_action("offer_item", item)));
  auto busy = ask(*root, "u-root", "d-root", R"({"action":"remove_queue","queue_id":"vip"})");
  EXPECT_EQ(busy.error_code(), 4051);
  auto removed = ask(*root, "u-root", "d-root", R"({"action":"remove_agent","agent_id":"u-gold"})");
  ASSERT_EQ(removed.type(), "RECEIPT") << removed.json();
  ASSERT_TRUE(wait_for(*gold, queue_action("dequeue", item)));
  // A supervisor assigns the waiting item to an agent of its choice.
  auto a = agent("u-agent-a");
  auto assigned = ask(*supervisor, "u-supervisor", "d-s",
                      R"({"action":"assign_agent","queue_id":"vip","item_id":")" + item + R"(","agent_id":"u-agent-a"})");
  ASSERT_EQ(assigned.type(), "RECEIPT") << assigned.json();
  ASSERT_TRUE(wait_for(*a, queue_action("offer_item", item)));
  auto stats = ask(*customer, "u-c1", "d-u-c1", R"({"action":"get_stats","queue_id":"vip"})");
  EXPECT_EQ(stats.error_code(), 4014);
}

// examples/call-centre.toml runs as it is (the test's flags override its
// data dir and addresses), and its queues and agents work.
TEST(CallCentreExample, ServesTheExampleConfiguration) {
  RunningQsipd server({"--config", std::string(QSIP_SOURCE_DIR) + "/examples/call-centre.toml"});
  auto customer = server.connect_registered("u-customer", "d-customer");
  auto b = server.connect_registered("u-agent-b", "d-b");
  ASSERT_EQ(b->request(envelope("PRESENCE", "u-agent-b", "d-b", R"({"status":"available"})")).get().type(), "RECEIPT");
  auto r = customer->request(envelope("QUEUE", "u-customer", "d-customer", R"({"action":"enqueue","queue_id":"sales"})")).get();
  ASSERT_EQ(r.payload_string("status"), "enqueued") << r.json();
  auto offer = wait_for(*b, queue_action("offer_item", std::string(r.payload_string("item_id").value_or(""))));
  ASSERT_TRUE(offer);
  auto supervisor = server.connect_registered("u-supervisor", "d-s");
  auto stats = supervisor->request(envelope("QUEUE", "u-supervisor", "d-s", R"({"action":"get_stats","queue_id":"sales"})")).get();
  EXPECT_EQ(stats.type(), "RECEIPT") << stats.json();
  EXPECT_TRUE(wait_for(*supervisor, [](const Message& m) { return m.type() == "ANALYTICS"; }));
}
