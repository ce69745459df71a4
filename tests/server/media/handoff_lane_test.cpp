// Hand-offs between workers: one post per batch, bounded, storage reused.
#include <gtest/gtest.h>

#include <array>

#include "server/media/handoff_lane.hpp"

using namespace qsip::server::media;

TEST(HandoffLane, OnePostCarriesEverythingQueuedUntilItRuns) {
  HandoffLane lane;
  auto counters = std::make_shared<FlowCounters>();
  std::array<std::uint8_t, 1> prefix{0x05};
  std::array<std::uint8_t, 3> body{1, 2, 3};
  EXPECT_EQ(lane.add(7, counters, prefix, body), HandoffLane::Added::kAddedPostNeeded);
  EXPECT_EQ(lane.add(8, counters, prefix, body), HandoffLane::Added::kAdded);
  HandoffLane::Batch batch;
  lane.take(batch);
  ASSERT_EQ(batch.items.size(), 2u);
  EXPECT_EQ(batch.items[1].connection_id, 8u);
  auto d = batch.datagram(batch.items[1]);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0], 0x05);
  EXPECT_EQ(d[3], 3);
  lane.give_back(batch);
  EXPECT_EQ(lane.add(9, counters, prefix, body), HandoffLane::Added::kAddedPostNeeded) << "idle again after take";
}

TEST(HandoffLane, IsBoundedAndAbandonCountsDrops) {
  HandoffLane lane;
  auto counters = std::make_shared<FlowCounters>();
  std::array<std::uint8_t, 1000> body{};
  std::size_t added = 0;
  while (lane.add(1, counters, {}, body) != HandoffLane::Added::kFull) ++added;
  EXPECT_EQ(added, HandoffLane::kMaxBytes / 1000);
  lane.abandon();
  EXPECT_EQ(counters->drops.load(), added);
  EXPECT_EQ(lane.add(1, counters, {}, body), HandoffLane::Added::kAddedPostNeeded);
}
