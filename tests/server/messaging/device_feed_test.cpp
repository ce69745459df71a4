// The per-device delivery decisions (docs/messaging.md "Store and forward").
#include "server/messaging/device_feed.hpp"

#include <gtest/gtest.h>

using qsip::server::DeviceFeed;

namespace {
DeviceFeed feed(std::int64_t cursor, DeviceFeed::Limits limits = {}) { return DeviceFeed({"u", "d"}, cursor, limits); }
}  // namespace

TEST(DeviceFeed, StartsCatchingUpAndTakesLiveEventsOnlyOnceCaughtUp) {
  auto f = feed(10);
  EXPECT_TRUE(f.catching_up());
  EXPECT_FALSE(f.offer(11));  // the pager reads it from the store
  EXPECT_EQ(f.room(), 256u);
  f.sent(11);
  f.caught_up();
  EXPECT_FALSE(f.offer(11));  // already sent
  EXPECT_TRUE(f.offer(12));
  f.sent(12);
  EXPECT_EQ(f.sent_seq(), 12);
}

TEST(DeviceFeed, FallsBackToTheStorePastTheHighWaterMark) {
  DeviceFeed::Limits limits;
  limits.window = 4;
  limits.high_water = 8;
  auto f = feed(0, limits);
  f.caught_up();
  for (std::int64_t s = 1; s <= 8; ++s) {
    ASSERT_TRUE(f.offer(s));
    f.sent(s);
  }
  EXPECT_FALSE(f.offer(9));
  EXPECT_TRUE(f.catching_up());
  EXPECT_EQ(f.room(), 0u);  // 8 in flight, window 4
  f.ack(6);
  EXPECT_EQ(f.room(), 2u);
}

TEST(DeviceFeed, AcknowledgementsAreCumulativeAndPersistedInSteps) {
  DeviceFeed::Limits limits;
  limits.persist_every = 3;
  auto f = feed(0, limits);
  for (std::int64_t s = 1; s <= 5; ++s) f.sent(s);
  EXPECT_FALSE(f.ack(2));
  EXPECT_TRUE(f.ack(4));
  EXPECT_EQ(f.take_cursor_to_persist(), 4);
  EXPECT_FALSE(f.has_unpersisted());
  EXPECT_FALSE(f.ack(3));  // older: ignored
  EXPECT_FALSE(f.ack(5));
  EXPECT_TRUE(f.has_unpersisted());
}

TEST(DeviceFeed, AnUrgentMessageSentAheadDoesNotMoveTheCursor) {
  auto f = feed(0);
  ASSERT_TRUE(f.take_urgent_turn());
  EXPECT_FALSE(f.take_urgent_turn());  // once per feed
  f.sent_early(7);
  EXPECT_TRUE(f.is_early(7));
  EXPECT_FALSE(f.ack(7));
  EXPECT_EQ(f.acked_seq(), 0);  // 1..6 may not have arrived
  for (std::int64_t s = 1; s <= 6; ++s) f.sent(s);
  f.sent(7);  // its turn: not pushed again by the pager, and no longer ahead
  EXPECT_FALSE(f.is_early(7));
  f.ack(7);
  EXPECT_EQ(f.acked_seq(), 7);
}
