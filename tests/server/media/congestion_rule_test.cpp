// The relay drops rather than queues: a receiver takes another datagram
// only while its queue is short and fits in the congestion window.
#include <gtest/gtest.h>

#include "server/media/congestion_rule.hpp"

using namespace qsip::server::media;

TEST(CongestionRule, AnEmptyQueueAlwaysTakesOne) {
  EXPECT_TRUE(receiver_has_room({0, 0, 0}, 1200));
}

TEST(CongestionRule, AQueuedBurstMustFitTheWindow) {
  EXPECT_TRUE(receiver_has_room({3, 3600, 12000}, 1200));
  EXPECT_FALSE(receiver_has_room({3, 3600, 4000}, 1200));
  EXPECT_FALSE(receiver_has_room({1, 1200, 0}, 100)) << "a full window: the packet is lost, not queued";
}

TEST(CongestionRule, TheQueueIsBoundedWhateverTheWindow) {
  EXPECT_FALSE(receiver_has_room({kMaxQueuedDatagrams, 100, 1'000'000'000}, 10));
  EXPECT_TRUE(receiver_has_room({kMaxQueuedDatagrams - 1, 100, 1'000'000'000}, 10));
}
