// The call media session (src/media/call_media_session.hpp): two of them
// wired back to back through a simulated network of media datagrams, as
// `qsip call` and `qsip answer` are through qsipd; and the pieces it adds
// to the audio chain: flow ids, keys that arrive after the first datagrams,
// refusals.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "media/call_media_session.hpp"
#include "media/media_datagram.hpp"
#include "media/opus_codec.hpp"
#include "test_signals.hpp"
#include "tracked_alignment.hpp"

namespace qsip::media {
namespace {

constexpr std::size_t frame = samples_per_channel_per_frame;

Bytes key_of(std::uint8_t seed) {
  Bytes key(16);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(seed + 17 * i);
  return key;
}

CallMediaSettings settings_for(std::uint64_t flow, std::uint64_t kid, std::uint8_t key_seed, std::uint32_t ssrc) {
  CallMediaSettings s;
  s.flow_id = flow;
  s.send.kid = kid;
  s.send.base_key = key_of(key_seed);
  s.send.ssrc = ssrc;
  s.send.first_sequence = static_cast<std::uint16_t>(ssrc);
  s.send.first_timestamp = ssrc * 3;
  return s;
}

MediaTime ms(std::int64_t value) { return MediaTime(value * 1000); }

struct Direction {
  Pcm input;
  Pcm output;
  std::size_t dropped = 0;
};

// Both sides send their own signal for `frames` frames, every datagram
// crossing the network in 30 ms unless dropped (seeded); each side pulls a
// frame every 20 ms. The keys are exchanged after `key_delay_frames`, so the
// first datagrams wait for them.
void run_back_to_back(Direction& caller_to_callee, Direction& callee_to_caller, double loss,
                      std::size_t key_delay_frames) {
  const std::size_t frames = 150;
  caller_to_callee.input = test::synthetic_voice(frames * frame);
  callee_to_caller.input = test::synthetic_voice(frames * frame + 4800);
  callee_to_caller.input.erase(callee_to_caller.input.begin(), callee_to_caller.input.begin() + 4800);
  CallMediaSession caller(settings_for(1, 0x11, 1, 0xaaaa0001));
  CallMediaSession callee(settings_for(2, 0x22, 2, 0xbbbb0002));
  // What INVITE and ACCEPT `tracks` announced.
  caller.set_peer_flow(2);
  callee.set_peer_flow(1);
  struct InFlight {
    std::int64_t arrival_ms;
    bool to_callee;
    Bytes datagram;
  };
  std::vector<InFlight> network;
  std::mt19937 random(7587);
  std::bernoulli_distribution lose(loss);
  const std::int64_t end_ms = static_cast<std::int64_t>(frames) * 20 + 500;
  for (std::int64_t now = 0; now < end_ms; now += 20) {
    const auto tick = static_cast<std::size_t>(now / 20);
    if (tick == key_delay_frames) {
      ASSERT_TRUE(callee.add_peer_key(default_cipher_suite, 0x11, key_of(1)));
      ASSERT_TRUE(caller.add_peer_key(default_cipher_suite, 0x22, key_of(2)));
    }
    if (tick < frames) {
      for (auto [session, direction, to_callee] :
           {std::tuple{&caller, &caller_to_callee, true}, std::tuple{&callee, &callee_to_caller, false}}) {
        auto datagram = session->send(PcmView(direction->input).subspan(tick * frame, frame));
        ASSERT_TRUE(datagram);
        if (lose(random)) {
          ++direction->dropped;
          continue;
        }
        network.push_back(InFlight{now + 30, to_callee, std::move(*datagram)});
      }
    }
    for (auto it = network.begin(); it != network.end();) {
      if (it->arrival_ms > now) {
        ++it;
        continue;
      }
      (it->to_callee ? callee : caller).receive(it->datagram, ms(it->arrival_ms));
      it = network.erase(it);
    }
    for (auto [session, direction] : {std::pair{&callee, &caller_to_callee}, std::pair{&caller, &callee_to_caller}}) {
      const PlayoutFrame out = session->pull(ms(now));
      ASSERT_EQ(out.samples.size(), frame);
      direction->output.insert(direction->output.end(), out.samples.begin(), out.samples.end());
    }
  }
}

TEST(CallMediaSession, BackToBackBothWaysMatch) {
  Direction there, back;
  run_back_to_back(there, back, 0.0, 0);
  for (const Direction* d : {&there, &back}) {
    const auto aligned = test::tracked_alignment(d->input, d->output, 0, 48000);
    EXPECT_GE(aligned.correlation, 0.9) << "lag " << aligned.first_lag;
    EXPECT_LE(std::abs(aligned.last_lag - aligned.first_lag), 3);  // a constant delay
    // ... which the single-lag measure aligns as well.
    EXPECT_GE(test::best_alignment(d->input, d->output, 8000).correlation, 0.9);
  }
}

TEST(CallMediaSession, FivePercentLossBothWays) {
  Direction there, back;
  run_back_to_back(there, back, 0.05, 0);
  EXPECT_GE(there.dropped + back.dropped, 8u);
  for (const Direction* d : {&there, &back}) {
    const auto aligned = test::tracked_alignment(d->input, d->output, 0, 48000);
    EXPECT_GE(aligned.correlation, 0.9) << "dropped " << d->dropped;
    std::printf("5%% loss, %zu dropped: correlation %.4f\n", d->dropped, aligned.correlation);
  }
}

TEST(CallMediaSession, DatagramsBeforeTheKeyAreHeldThenPlayed) {
  Direction there, back;
  // The keys arrive 10 frames (200 ms) after the media started: the first
  // words wait for them instead of being lost.
  run_back_to_back(there, back, 0.0, 10);
  for (const Direction* d : {&there, &back}) {
    const Pcm first_words(d->input.begin(), d->input.begin() + 19200);  // 0.4 s
    const auto aligned = test::best_alignment(first_words, d->output, 24000);
    EXPECT_GE(aligned.correlation, 0.9) << "lag " << aligned.lag;
    // Heard once the keys came (tick 10), not before.
    EXPECT_GE(aligned.lag, 9600);
  }
}

TEST(CallMediaSession, CountsHeldAndRefusedDatagrams) {
  CallMediaSession sender(settings_for(5, 9, 3, 1234));
  CallMediaSession receiver(settings_for(6, 10, 4, 5678));
  const Pcm silence(frame, 0);

  // Unknown peer flow: nothing is accepted yet.
  EXPECT_EQ(receiver.receive(*sender.send(silence), ms(0)), DatagramOutcome::other_flow);
  receiver.set_peer_flow(5);
  EXPECT_EQ(receiver.receive(Bytes{}, ms(0)), DatagramOutcome::malformed);
  EXPECT_EQ(receiver.receive(Bytes{0x40}, ms(0)), DatagramOutcome::malformed);  // a 2-byte varint cut short
  EXPECT_EQ(receiver.receive(frame_media_datagram(7, Bytes{1, 2, 3}), ms(0)), DatagramOutcome::other_flow);

  // Before the key: held, up to one second's worth.
  for (std::size_t i = 0; i < CallMediaSession::max_held_datagrams; ++i)
    EXPECT_EQ(receiver.receive(*sender.send(silence), ms(20 * static_cast<std::int64_t>(i))),
              DatagramOutcome::held_for_key);
  EXPECT_EQ(receiver.receive(*sender.send(silence), ms(1000)), DatagramOutcome::dropped_awaiting_key);
  EXPECT_FALSE(receiver.has_peer_key());
  EXPECT_EQ(receiver.pull(ms(1000)).kind, PlayoutKind::silence);

  // The key plays what was held: all 50 were accepted by the chain.
  ASSERT_TRUE(receiver.add_peer_key(default_cipher_suite, 9, key_of(3)));
  ASSERT_NE(receiver.receive_chain(), nullptr);
  EXPECT_EQ(receiver.receive_chain()->stats().accepted, CallMediaSession::max_held_datagrams);
  // A second key under another suite is refused; one more key of the same is not.
  EXPECT_FALSE(receiver.add_peer_key(CipherSuite::aes_256_gcm_sha512_128, 11, key_of(5)));
  EXPECT_TRUE(receiver.add_peer_key(default_cipher_suite, 12, key_of(6)));

  const auto& stats = receiver.stats();
  EXPECT_EQ(stats.malformed, 2u);
  EXPECT_EQ(stats.other_flow, 2u);
  EXPECT_EQ(stats.held_for_key, CallMediaSession::max_held_datagrams);
  EXPECT_EQ(stats.dropped_awaiting_key, 1u);
  EXPECT_EQ(sender.stats().sent, 1u + CallMediaSession::max_held_datagrams + 1u);
}

TEST(CallMediaSession, AWrongKeyPlaysNothing) {
  CallMediaSession sender(settings_for(1, 9, 3, 1));
  CallMediaSession receiver(settings_for(2, 10, 4, 2));
  receiver.set_peer_flow(1);
  ASSERT_TRUE(receiver.add_peer_key(default_cipher_suite, 9, key_of(99)));
  const Pcm voice = test::synthetic_voice(frame);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(receiver.receive(*sender.send(voice), ms(20 * i)), DatagramOutcome::delivered);
    EXPECT_EQ(receiver.last_chain_outcome(), ReceiveOutcome::sframe_refused);
    EXPECT_EQ(receiver.pull(ms(20 * i)).kind, PlayoutKind::silence);
  }
  EXPECT_EQ(receiver.receive_chain()->stats().sframe_refused, 20u);
}

TEST(MediaDatagram, FlowIdVarintRoundTrips) {
  const Bytes rtp{0x80, 111, 0, 1};
  for (std::uint64_t flow : std::initializer_list<std::uint64_t>{0, 63, 64, 16383, 16384, 1073741823, 1073741824, max_flow_id}) {
    const Bytes datagram = frame_media_datagram(flow, rtp);
    const auto parsed = parse_media_datagram(datagram);
    ASSERT_TRUE(parsed) << flow;
    EXPECT_EQ(parsed->flow_id, flow);
    EXPECT_EQ(Bytes(parsed->rtp_packet.begin(), parsed->rtp_packet.end()), rtp);
  }
  EXPECT_EQ(frame_media_datagram(1, rtp).size(), 1 + rtp.size());
  EXPECT_EQ(frame_media_datagram(64, rtp).size(), 2 + rtp.size());
  EXPECT_THROW(frame_media_datagram(max_flow_id + 1, rtp), std::invalid_argument);
  EXPECT_FALSE(parse_media_datagram(Bytes{}));
  EXPECT_FALSE(parse_media_datagram(Bytes{0xc0, 0, 0}));  // an 8-byte varint in 3
}

}  // namespace
}  // namespace qsip::media
