// Per-flow counters: RTP sequence-number gaps are losses; duplicates, late
// packets and wrap-around are not; non-RTP payloads are not counted.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "server/media/flow_counters.hpp"

using namespace qsip::server::media;

namespace {
std::array<std::uint8_t, 12> rtp(std::uint16_t seq) {
  return {0x80, 111, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq & 0xff), 0, 0, 0, 0, 0, 0, 0, 1};
}
}  // namespace

TEST(FlowCounters, GapsInSequenceNumbersAreLosses) {
  FlowCounters c;
  c.observe_rtp(rtp(10));
  c.observe_rtp(rtp(11));
  c.observe_rtp(rtp(14));  // 12, 13 lost
  EXPECT_EQ(c.losses.load(), 2u);
  c.observe_rtp(rtp(13));  // late: not a loss, not a new highest
  c.observe_rtp(rtp(14));  // duplicate
  c.observe_rtp(rtp(15));
  EXPECT_EQ(c.losses.load(), 2u);
}

TEST(FlowCounters, WrapAroundIsNotALoss) {
  FlowCounters c;
  c.observe_rtp(rtp(65534));
  c.observe_rtp(rtp(65535));
  c.observe_rtp(rtp(0));
  c.observe_rtp(rtp(2));
  EXPECT_EQ(c.losses.load(), 1u);
}

TEST(FlowCounters, NonRtpPayloadsAndRestartsAreNotCounted) {
  FlowCounters c;
  std::array<std::uint8_t, 4> short_payload{0x80, 0, 0, 1};
  c.observe_rtp(short_payload);
  auto v1 = rtp(5);
  v1[0] = 0x40;  // version 1
  c.observe_rtp(v1);
  EXPECT_EQ(c.last_seq.load(), 0u);
  c.observe_rtp(rtp(100));
  c.observe_rtp(rtp(20000));  // a jump beyond 3,000: a restart
  EXPECT_EQ(c.losses.load(), 0u);
  EXPECT_EQ(rtp_gap(1, 5), 3u);
  EXPECT_EQ(rtp_gap(5, 1), 0u);
}
