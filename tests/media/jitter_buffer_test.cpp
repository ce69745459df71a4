// The jitter buffer against a fake clock and a recording fake decoder: each
// packet's payload is one byte naming it, and the fake decoder's output says
// which packet (or which concealment) a frame came from.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/jitter_buffer.hpp"

namespace qsip::media {
namespace {

using std::chrono::milliseconds;

class RecordingDecoder final : public AudioDecoder {
 public:
  Pcm decode(ByteView packet) override {
    log.push_back("decode " + std::to_string(packet.empty() ? -1 : packet[0]));
    return Pcm(frame_samples(), static_cast<std::int16_t>(packet.empty() ? -1 : packet[0]));
  }
  Pcm decode_fec(ByteView next_packet) override {
    log.push_back("fec from " + std::to_string(next_packet[0]));
    return Pcm(frame_samples(), -2);
  }
  Pcm conceal() override {
    log.push_back("plc");
    return Pcm(frame_samples(), -3);
  }
  std::size_t frame_samples() const override { return 4; }
  std::vector<std::string> log;
};

constexpr std::uint32_t ts_per_frame = 960;

MediaTime at_ms(std::int64_t ms) { return std::chrono::duration_cast<MediaTime>(milliseconds(ms)); }

class JitterBufferTest : public ::testing::Test {
 protected:
  RecordingDecoder decoder;
  JitterBuffer buffer{decoder};

  InsertOutcome send(std::uint16_t seq, std::int64_t arrival_ms) {
    const Bytes payload{static_cast<std::uint8_t>(seq)};
    return buffer.insert(seq, static_cast<std::uint32_t>(seq) * ts_per_frame, payload, at_ms(arrival_ms));
  }
  PlayoutFrame tick(std::int64_t now_ms) { return buffer.pull(at_ms(now_ms)); }
  // Pulls every 20 ms from `from_ms` to `to_ms` (exclusive); what each gave.
  std::vector<std::string> ticks(std::int64_t from_ms, std::int64_t to_ms) {
    std::vector<std::string> out;
    for (std::int64_t t = from_ms; t < to_ms; t += 20) {
      const PlayoutFrame f = tick(t);
      EXPECT_EQ(f.samples.size(), decoder.frame_samples());
      switch (f.kind) {
        case PlayoutKind::silence: out.push_back("silence"); break;
        case PlayoutKind::decoded: out.push_back(std::to_string(f.samples[0])); break;
        case PlayoutKind::fec: out.push_back("fec"); break;
        case PlayoutKind::plc: out.push_back("plc"); break;
      }
    }
    return out;
  }
};

using Frames = std::vector<std::string>;

TEST_F(JitterBufferTest, BuffersForTheMinimumDelayThenPlaysInOrder) {
  std::vector<std::string> played;
  for (std::uint16_t i = 0; i < 10; ++i) {
    EXPECT_EQ(send(i, 20 * i + 5), InsertOutcome::accepted);
    const auto frames = ticks(20 * i + 10, 20 * i + 11);
    played.insert(played.end(), frames.begin(), frames.end());
  }
  // 60 ms of minimum delay: the first packet (in at 5 ms) plays at 70 ms.
  EXPECT_EQ(played, (Frames{"silence", "silence", "silence", "0", "1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(buffer.target_delay_frames(), 3u);
  EXPECT_DOUBLE_EQ(buffer.jitter_ms(), 0.0);
  EXPECT_EQ(buffer.stats().decoded, 7u);
  EXPECT_EQ(buffer.stats().plc + buffer.stats().fec, 0u);
}

TEST_F(JitterBufferTest, PutsReorderedPacketsBackInOrder) {
  send(0, 0);
  send(2, 20);
  send(1, 25);
  send(4, 60);
  send(3, 61);
  EXPECT_EQ(ticks(60, 160), (Frames{"0", "1", "2", "3", "4"}));
}

TEST_F(JitterBufferTest, DropsDuplicatesAndLatePackets) {
  EXPECT_EQ(send(0, 0), InsertOutcome::accepted);
  EXPECT_EQ(send(0, 1), InsertOutcome::duplicate);
  send(1, 20);
  send(3, 60);
  EXPECT_EQ(ticks(60, 100), (Frames{"0", "1"}));
  EXPECT_EQ(send(1, 100), InsertOutcome::late);
  // 2 is missing but only 3 is queued, less than the 3-frame target: 2 is
  // probably late, so the buffer waits a tick for it, and it comes.
  EXPECT_EQ(ticks(100, 120), (Frames{"plc"}));
  EXPECT_EQ(send(2, 120), InsertOutcome::accepted);
  EXPECT_EQ(ticks(120, 160), (Frames{"2", "3"}));
  // 4 is missing with three newer packets queued: lost, concealed from 5's
  // FEC, and when it does come it is too late.
  for (std::uint16_t i : {5, 6, 7}) send(i, 160);
  EXPECT_EQ(ticks(160, 180), (Frames{"fec"}));
  EXPECT_EQ(send(4, 180), InsertOutcome::late);
  EXPECT_EQ(buffer.stats().duplicates, 1u);
  EXPECT_EQ(buffer.stats().late, 2u);
  EXPECT_EQ(buffer.stats().stretched, 1u);
}

TEST_F(JitterBufferTest, WaitsForAMissingPacketABoundedTime) {
  send(0, 0);
  send(2, 0);
  EXPECT_EQ(ticks(60, 80), (Frames{"0"}));
  // 1 never comes and nothing newer than 2 either: ten ticks of waiting,
  // then 1 counts as lost and 2 plays.
  const auto frames = ticks(80, 320);
  EXPECT_EQ(frames, (Frames{"plc", "plc", "plc", "plc", "plc", "plc", "plc", "plc", "plc", "plc",
                            "fec", "2"}));
}

TEST_F(JitterBufferTest, ConcealsLossWithFecWhenTheNextPacketIsThereElsePlc) {
  for (std::uint16_t i : {0, 1, 3, 6, 7}) send(i, 0);
  EXPECT_EQ(ticks(60, 220), (Frames{"0", "1", "fec", "3", "plc", "fec", "6", "7"}));
  EXPECT_EQ(decoder.log[2], "fec from 3");
  EXPECT_EQ(decoder.log[5], "fec from 6");
  EXPECT_EQ(buffer.stats().fec, 2u);
  EXPECT_EQ(buffer.stats().plc, 1u);
}

TEST_F(JitterBufferTest, FollowsTheSequenceNumberAcrossTheWrap) {
  std::uint32_t i = 0;
  for (std::uint16_t seq : {65533, 65534, 65535, 0, 1, 2}) {
    const Bytes payload{static_cast<std::uint8_t>(seq)};
    EXPECT_EQ(buffer.insert(seq, i * ts_per_frame, payload, at_ms(20 * i)), InsertOutcome::accepted);
    ++i;
  }
  EXPECT_EQ(ticks(60, 180), (Frames{std::to_string(65533 & 0xff), std::to_string(65534 & 0xff),
                                    std::to_string(65535 & 0xff), "0", "1", "2"}));
}

TEST_F(JitterBufferTest, UnderrunStretchesTheDelayAndLosesNothing) {
  for (std::uint16_t i = 0; i < 5; ++i) send(i, 20 * i);
  // Packets 5 and 6 are held up by 50 ms, then arrive together.
  EXPECT_EQ(ticks(60, 160), (Frames{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(ticks(160, 200), (Frames{"plc", "plc"}));
  send(5, 200);
  send(6, 201);
  EXPECT_EQ(ticks(200, 240), (Frames{"5", "6"}));
  EXPECT_EQ(buffer.stats().stretched, 2u);
  EXPECT_EQ(buffer.stats().late, 0u);
  EXPECT_GT(buffer.jitter_ms(), 0.0);
}

TEST_F(JitterBufferTest, APausedStreamGoesQuietAndBuffersAgain) {
  send(0, 0);
  EXPECT_EQ(ticks(60, 80), (Frames{"0"}));
  // Ten underrun ticks are concealed, then silence until the stream is back.
  const auto quiet = ticks(80, 400);
  EXPECT_EQ(std::count(quiet.begin(), quiet.end(), "plc"), 10);
  EXPECT_EQ(std::count(quiet.begin(), quiet.end(), "silence"), 6);
  EXPECT_FALSE(buffer.playing());
  // The sender paused too (discontinuous transmission): its timestamps jumped
  // by the 400 ms the network was quiet, so this is no jitter.
  buffer.insert(1, 20 * ts_per_frame, Bytes{1}, at_ms(400));
  buffer.insert(2, 21 * ts_per_frame, Bytes{2}, at_ms(420));
  EXPECT_DOUBLE_EQ(buffer.jitter_ms(), 0.0);
  EXPECT_EQ(ticks(420, 520), (Frames{"silence", "silence", "1", "2", "plc"}));
}

TEST_F(JitterBufferTest, DelayFollowsJitterWithinItsBounds) {
  // Arrivals alternately 0 and 70 ms late: |D| of 70 ms on every packet.
  for (std::uint16_t i = 0; i < 200; ++i) send(i, 20 * i + (i % 2) * 70);
  EXPECT_NEAR(buffer.jitter_ms(), 70.0, 1.0);
  // 20 ms + 4 x 70 ms = 300 ms: 15 frames, inside [60, 400] ms.
  EXPECT_EQ(buffer.target_delay_frames(), 15u);

  RecordingDecoder other_decoder;
  JitterBuffer wild(other_decoder);
  for (std::uint16_t i = 0; i < 200; ++i) {
    const Bytes payload{static_cast<std::uint8_t>(i)};
    wild.insert(i, i * ts_per_frame, payload, at_ms(20 * i + (i % 2) * 1000));
  }
  EXPECT_EQ(wild.target_delay_frames(), 20u);  // capped at max_delay (400 ms)
}

TEST_F(JitterBufferTest, ShrinksAnExcessiveDelay) {
  // A burst of 12 packets at once, then one every 20 ms: the queue holds far
  // more than the 3-frame target and the buffer drops frames to catch up.
  for (std::uint16_t i = 0; i < 12; ++i) send(i, 0);
  std::uint16_t next = 12;
  for (std::int64_t t = 60; t < 6000; t += 20) {
    send(next++, t);
    tick(t);
  }
  EXPECT_GE(buffer.stats().shrunk, 7u);
  EXPECT_LE(buffer.buffered_packets(), buffer.target_delay_frames() + 2);
  EXPECT_EQ(buffer.stats().plc + buffer.stats().fec, 0u);
}

TEST_F(JitterBufferTest, BoundsWhatItHolds) {
  // A flood of distinct sequence numbers while buffering keeps the newest.
  for (std::uint16_t i = 0; i < 1000; ++i) send(i, 0);
  EXPECT_LE(buffer.buffered_packets(), 64u);
  EXPECT_GT(buffer.stats().evicted, 0u);
  EXPECT_EQ(send(10, 1), InsertOutcome::late);  // below what was evicted
  EXPECT_EQ(buffer.insert(2000, 0, Bytes(1501, 0), at_ms(2)), InsertOutcome::oversized);
}

TEST_F(JitterBufferTest, ResynchronizesOnAFarJump) {
  for (std::uint16_t i = 0; i < 5; ++i) send(i, 20 * i);
  EXPECT_EQ(ticks(60, 100), (Frames{"0", "1"}));
  EXPECT_EQ(send(30000, 100), InsertOutcome::resynchronized);
  EXPECT_FALSE(buffer.playing());
  EXPECT_EQ(send(3, 101), InsertOutcome::late);
  send(30001, 120);
  EXPECT_EQ(ticks(100, 200), (Frames{"silence", "silence", "silence", std::to_string(30000 & 0xff),
                                     std::to_string(30001 & 0xff)}));
}

TEST_F(JitterBufferTest, IsSilentBeforeAnyPacket) {
  EXPECT_EQ(ticks(0, 100), (Frames{"silence", "silence", "silence", "silence", "silence"}));
  EXPECT_TRUE(decoder.log.empty());
}

}  // namespace
}  // namespace qsip::media
