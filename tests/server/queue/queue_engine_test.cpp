// The routing engine alone (no I/O): skills, priorities by name and number,
// first-in first-out, longest idle, capacity, re-offer on rejection and
// timeout, abandonment, queue full, positions and statistics.
#include "server/queue/queue_engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace qsip::server {
namespace {

QueueItem item(std::string id, std::string queue, std::string customer, std::int64_t priority = 50,
               std::vector<std::string> skills = {}, std::int64_t at = 0) {
  QueueItem i;
  i.item_id = std::move(id);
  i.queue_id = std::move(queue);
  i.customer_id = std::move(customer);
  i.priority = priority;
  i.required_skills = std::move(skills);
  i.enqueued_at_ms = at;
  return i;
}

class Engine : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine.set_queue({"support", {}, 1000, 60}));
    ASSERT_TRUE(engine.set_queue({"sales", {"billing"}, 2, 60}));
  }
  void agent(const std::string& id, std::vector<std::string> skills, std::int64_t present_at,
             std::uint32_t capacity = 1) {
    ASSERT_TRUE(engine.set_agent({id, std::move(skills), capacity}, 0));
    engine.set_agent_present(id, true, present_at);
  }
  QueueEngine engine{120};
};

TEST_F(Engine, OffersToTheLongestIdleAgentWithEverySkill) {
  agent("u-a", {"vpn", "network", "tier2"}, 100);
  agent("u-b", {"billing"}, 50);  // idle longer but lacks vpn
  ASSERT_EQ(engine.enqueue(item("i1", "support", "u-c", 50, {"vpn", "network"})), EnqueueError::kNone);
  auto offers = engine.route(1000);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].item_id, "i1");
  EXPECT_EQ(offers[0].agent_id, "u-a");
  EXPECT_EQ(engine.item("i1")->state, ItemState::kOffered);
}

TEST_F(Engine, LongestIdleWinsAmongQualifiedAgents) {
  agent("u-a", {}, 300);
  agent("u-b", {}, 100);
  agent("u-c", {}, 200);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "u-x")), EnqueueError::kNone);
  auto offers = engine.route(1000);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].agent_id, "u-b");
}

TEST_F(Engine, QueueRequiredSkillsApplyToEveryItem) {
  agent("u-a", {"vpn"}, 100);
  ASSERT_EQ(engine.enqueue(item("i1", "sales", "u-x")), EnqueueError::kNone);
  EXPECT_TRUE(engine.route(1000).empty());  // sales needs billing
  agent("u-b", {"billing"}, 200);
  auto offers = engine.route(1000);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].agent_id, "u-b");
}

TEST_F(Engine, HigherPriorityFirstThenFirstInFirstOut) {
  ASSERT_EQ(engine.enqueue(item("n1", "support", "c1", 50)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("l1", "support", "c2", 0)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("n2", "support", "c3", 50)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("h1", "support", "c4", 100)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("x1", "support", "c5", 700)), EnqueueError::kNone);  // numeric, above "high"
  EXPECT_EQ(engine.position("x1"), 1u);
  EXPECT_EQ(engine.position("h1"), 2u);
  EXPECT_EQ(engine.position("n1"), 3u);
  EXPECT_EQ(engine.position("n2"), 4u);
  EXPECT_EQ(engine.position("l1"), 5u);
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    agent("u-" + std::to_string(i), {}, 100 + i);
    auto offers = engine.route(1000);
    ASSERT_EQ(offers.size(), 1u);
    order.push_back(offers[0].item_id);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"x1", "h1", "n1", "n2", "l1"}));
}

TEST_F(Engine, RejectionGoesToTheNextAgentAndBackWhenEveryoneDeclined) {
  agent("u-a", {}, 100);
  agent("u-b", {}, 200);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c")), EnqueueError::kNone);
  ASSERT_EQ(engine.route(1000)[0].agent_id, "u-a");
  EXPECT_FALSE(engine.reject("i1", "u-b", 1100));  // not offered to u-b
  ASSERT_TRUE(engine.reject("i1", "u-a", 1100));
  auto second = engine.route(1100);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].agent_id, "u-b");
  ASSERT_TRUE(engine.reject("i1", "u-b", 1200));
  auto third = engine.route(1200);  // both declined: it starts over with the longest idle
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].agent_id, "u-a");
}

TEST_F(Engine, TimedOutOffersGoToTheNextAgent) {
  agent("u-a", {}, 100);
  agent("u-b", {}, 200);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c")), EnqueueError::kNone);
  ASSERT_EQ(engine.route(1000)[0].agent_id, "u-a");
  EXPECT_EQ(engine.next_offer_expiry(5000), 6000);
  EXPECT_TRUE(engine.expire_offers(5999, 5000).empty());
  auto expired = engine.expire_offers(6000, 5000);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].agent_id, "u-a");
  EXPECT_EQ(engine.item("i1")->state, ItemState::kPending);
  auto offers = engine.route(6000);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].agent_id, "u-b");
}

TEST_F(Engine, CapacityBoundsWhatAnAgentHolds) {
  agent("u-a", {}, 100, 2);
  for (const char* id : {"i1", "i2", "i3"}) ASSERT_EQ(engine.enqueue(item(id, "support", id)), EnqueueError::kNone);
  auto offers = engine.route(1000);
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_TRUE(engine.accept("i1", "u-a", 1100));
  EXPECT_TRUE(engine.route(1100).empty());
  EXPECT_TRUE(engine.resolve("i1", 2100));
  auto next = engine.route(2100);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].item_id, "i3");
}

TEST_F(Engine, AnAgentInACallOrNotAvailableGetsNoOffer) {
  agent("u-a", {}, 100);
  engine.set_agent_in_call("u-a", true, 150);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c")), EnqueueError::kNone);
  EXPECT_TRUE(engine.route(1000).empty());
  engine.set_agent_in_call("u-a", false, 1000);
  engine.set_agent_present("u-a", false, 1000);
  EXPECT_TRUE(engine.route(1000).empty());
  engine.set_agent_present("u-a", true, 1001);
  EXPECT_EQ(engine.route(1001).size(), 1u);
}

// Any call counts (the calls module reports it), besides the queue's own.
TEST_F(Engine, AnAgentInAnyCallGetsNoOfferUntilItEnds) {
  agent("u-a", {}, 100);
  engine.set_agent_in_session("u-a", true, 150);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c")), EnqueueError::kNone);
  EXPECT_TRUE(engine.route(1000).empty());
  EXPECT_EQ(engine.stats("support", 1000).agents_available, 0u);
  // The queue's own call ending does not free an agent still in another one.
  engine.set_agent_in_call("u-a", true, 1000);
  engine.set_agent_in_call("u-a", false, 1100);
  EXPECT_TRUE(engine.route(1100).empty());
  engine.set_agent_in_session("u-a", false, 1200);
  auto offers = engine.route(1200);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].agent_id, "u-a");
}

// The agent accepted but did not answer the call: the item waits again in
// its place, with its priority, and goes to the next agent; the attempts
// are counted (each call of the item has a session of its own).
TEST_F(Engine, AnUnansweredCallRequeuesInPlaceForTheNextAgent) {
  agent("u-a", {}, 100);
  agent("u-b", {}, 200);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1", 100)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i2", "support", "c2", 50)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i3", "support", "c3", 100)), EnqueueError::kNone);
  engine.set_agent_present("u-b", false, 300);  // only a can take one now
  auto offers = engine.route(1000);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].item_id, "i1");
  ASSERT_TRUE(engine.accept("i1", "u-a", 1100));
  EXPECT_TRUE(engine.count_call_attempt("i1"));
  EXPECT_EQ(engine.item("i1")->call_attempts, 1u);
  EXPECT_EQ(engine.position("i3"), 1u);
  EXPECT_FALSE(engine.requeue("i2", 1200)) << "only an assigned item goes back";
  engine.take_changed();
  ASSERT_TRUE(engine.requeue("i1", 1200));
  EXPECT_EQ(engine.item("i1")->state, ItemState::kPending);
  EXPECT_TRUE(engine.item("i1")->agent_id.empty());
  EXPECT_EQ(engine.item("i1")->priority, 100);
  EXPECT_EQ(engine.position("i1"), 1u) << "back in its place, ahead of a later item of the same priority";
  EXPECT_EQ(engine.position("i3"), 2u);
  EXPECT_EQ(engine.position("i2"), 3u);
  EXPECT_EQ(engine.take_changed().size(), 1u);
  auto told = engine.position_changes("support");
  EXPECT_TRUE(std::any_of(told.begin(), told.end(), [](const PositionChange& c) { return c.item_id == "i1" && c.position == 1; }))
      << "the customer is told its place again";
  // a declined it in effect: the next able agent gets it.
  engine.set_agent_present("u-b", true, 1300);
  offers = engine.route(1300);
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_EQ(offers[0].item_id, "i1");
  EXPECT_EQ(offers[0].agent_id, "u-b");
  EXPECT_EQ(offers[1].item_id, "i3");
  EXPECT_EQ(offers[1].agent_id, "u-a") << "a is free again";
  ASSERT_TRUE(engine.accept("i1", "u-b", 1400));
  EXPECT_TRUE(engine.count_call_attempt("i1"));
  EXPECT_EQ(engine.item("i1")->call_attempts, 2u);
  EXPECT_EQ(engine.stats("support", 1400).handled, 1u) << "a requeued item counts once, at its first accept";
}

TEST_F(Engine, AcceptAssignsAndTheAgentIsBusyUntilResolved) {
  agent("u-a", {}, 100);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1")), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i2", "support", "c2")), EnqueueError::kNone);
  ASSERT_EQ(engine.route(1000).size(), 1u);
  EXPECT_FALSE(engine.accept("i1", "u-b", 1100));
  ASSERT_TRUE(engine.accept("i1", "u-a", 1100));
  EXPECT_EQ(engine.item("i1")->state, ItemState::kAssigned);
  EXPECT_EQ(engine.position("i1"), 0u);
  EXPECT_EQ(engine.position("i2"), 1u);
  EXPECT_TRUE(engine.mark_active("i1"));
  EXPECT_EQ(engine.item("i1")->state, ItemState::kActive);
  EXPECT_TRUE(engine.route(1200).empty());
  ASSERT_TRUE(engine.resolve("i1", 61100));
  auto changed = engine.take_changed();
  auto resolved = std::find_if(changed.begin(), changed.end(), [](const QueueItem& i) { return i.item_id == "i1"; });
  ASSERT_NE(resolved, changed.end());
  EXPECT_EQ(resolved->state, ItemState::kResolved);
  EXPECT_EQ(engine.item("i1"), nullptr);  // final items are forgotten once written
  EXPECT_EQ(engine.route(61100).size(), 1u);
  EXPECT_EQ(engine.stats("support", 61100).average_handle_seconds, 60);
}

TEST_F(Engine, AbandonLeavesTheQueueAndFreesTheOfferedAgent) {
  agent("u-a", {}, 100);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1")), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i2", "support", "c2")), EnqueueError::kNone);
  engine.route(1000);
  EXPECT_TRUE(engine.abandon("i1", 1500));
  EXPECT_EQ(engine.item("i1")->state, ItemState::kAbandoned);
  EXPECT_EQ(engine.position("i2"), 1u);
  auto offers = engine.route(1500);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].item_id, "i2");
  EXPECT_EQ(engine.stats("support", 1500).abandoned, 1u);
}

TEST_F(Engine, AFullQueueRefusesAndUnknownQueuesToo) {
  ASSERT_EQ(engine.enqueue(item("s1", "sales", "c1")), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("s2", "sales", "c2")), EnqueueError::kNone);
  EXPECT_EQ(engine.enqueue(item("s3", "sales", "c3")), EnqueueError::kQueueFull);
  EXPECT_EQ(engine.enqueue(item("z", "nowhere", "c3")), EnqueueError::kNoQueue);
  EXPECT_EQ(engine.enqueue(item("s1", "support", "c3")), EnqueueError::kDuplicate);
}

TEST_F(Engine, PriorityUpdatesReorderAndPositionChangesAreToldOnce) {
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1")), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i2", "support", "c2")), EnqueueError::kNone);
  EXPECT_EQ(engine.position_changes("support").size(), 2u);
  EXPECT_TRUE(engine.position_changes("support").empty());
  ASSERT_TRUE(engine.set_priority("i2", 100, "high"));
  auto changes = engine.position_changes("support");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].item_id, "i2");
  EXPECT_EQ(changes[0].position, 1u);
  EXPECT_EQ(changes[1].customer_id, "c1");
  EXPECT_EQ(changes[1].position, 2u);
}

TEST_F(Engine, RestoredItemsKeepTheirPlaceAndOffersReturnToPending) {
  QueueItem a = item("i1", "support", "c1");
  a.sequence = 7;
  QueueItem b = item("i2", "support", "c2");
  b.sequence = 3;
  b.state = ItemState::kOffered;
  b.agent_id = "u-gone";
  engine.restore(a);
  engine.restore(b);
  EXPECT_EQ(engine.position("i2"), 1u);
  EXPECT_EQ(engine.position("i1"), 2u);
  EXPECT_EQ(engine.item("i2")->state, ItemState::kPending);
  ASSERT_EQ(engine.enqueue(item("i3", "support", "c3")), EnqueueError::kNone);
  EXPECT_EQ(engine.item("i3")->sequence, 8u);  // after every restored one
  EXPECT_EQ(engine.position("i3"), 3u);
}

TEST_F(Engine, EstimatedWaitFollowsHandlingTimesAndStaff) {
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(engine.enqueue(item("i" + std::to_string(i), "support", "c" + std::to_string(i))), EnqueueError::kNone);
  EXPECT_EQ(engine.estimated_wait_seconds("i3", 4), 4 * 120);  // nobody staffed: one agent's pace
  agent("u-a", {}, 100);
  agent("u-b", {}, 100);
  EXPECT_EQ(engine.estimated_wait_seconds("i0", 1), 0);  // a free agent takes it now
  engine.route(1000);  // both busy with offers
  EXPECT_EQ(engine.estimated_wait_seconds("i3", 4), 4 * 120 / 2);
  ASSERT_EQ(engine.enqueue(item("v", "support", "cv", 50, {"vpn"})), EnqueueError::kNone);
  agent("u-c", {}, 100);  // free, but without vpn
  EXPECT_EQ(engine.estimated_wait_seconds("v", 1), 120);
}

TEST_F(Engine, StatisticsCountWaitingAgentsAndServiceLevel) {
  agent("u-a", {}, 100);
  agent("u-b", {"billing"}, 100);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1", 50, {}, 0)), EnqueueError::kNone);
  ASSERT_EQ(engine.enqueue(item("i2", "support", "c2", 50, {}, 5000)), EnqueueError::kNone);
  auto before = engine.stats("support", 30000);
  EXPECT_EQ(before.waiting, 2u);
  EXPECT_EQ(before.longest_wait_seconds, 30);
  EXPECT_EQ(before.agents_available, 2u);
  EXPECT_FALSE(before.service_level_percent.has_value());
  auto offers = engine.route(30000);
  ASSERT_EQ(offers.size(), 2u);
  ASSERT_TRUE(engine.accept(offers[0].item_id, offers[0].agent_id, 30000));  // i1 waited 30 s: in target
  ASSERT_TRUE(engine.accept(offers[1].item_id, offers[1].agent_id, 70000));  // i2 waited 65 s: not
  auto after = engine.stats("support", 70000);
  EXPECT_EQ(after.waiting, 0u);
  EXPECT_EQ(after.handled, 2u);
  EXPECT_EQ(after.agents_available, 0u);
  ASSERT_TRUE(after.service_level_percent.has_value());
  EXPECT_DOUBLE_EQ(*after.service_level_percent, 50.0);
}

TEST_F(Engine, AssignOffersToTheChosenAgentWhateverTheOrder) {
  agent("u-a", {}, 100);
  engine.set_agent_present("u-a", false, 100);  // not available: assign still may
  ASSERT_TRUE(engine.set_agent({"u-b", {}, 1}, 0));
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1")), EnqueueError::kNone);
  EXPECT_FALSE(engine.assign("i1", "u-nobody", 1000));
  ASSERT_TRUE(engine.assign("i1", "u-b", 1000));
  EXPECT_EQ(engine.item("i1")->agent_id, "u-b");
  EXPECT_TRUE(engine.accept("i1", "u-b", 1100));
}

TEST_F(Engine, RemovingAnAgentReturnsItsOffers) {
  agent("u-a", {}, 100);
  ASSERT_EQ(engine.enqueue(item("i1", "support", "c1")), EnqueueError::kNone);
  engine.route(1000);
  auto returned = engine.remove_agent("u-a");
  ASSERT_EQ(returned.size(), 1u);
  EXPECT_EQ(engine.item("i1")->state, ItemState::kPending);
  EXPECT_EQ(engine.agent("u-a"), nullptr);
  EXPECT_FALSE(engine.remove_queue("support"));  // i1 waits there
  EXPECT_TRUE(engine.remove_queue("sales"));
}

TEST_F(Engine, ManySkillsAreBounded) {
  std::vector<std::string> skills;
  for (int i = 0; i < 70; ++i) skills.push_back("s" + std::to_string(i));
  EXPECT_FALSE(engine.set_agent({"u-x", skills, 1}, 0));
}

}  // namespace
}  // namespace qsip::server
