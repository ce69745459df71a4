#pragma once
// One side of a 1:1 audio call's media, between the call's signaling and
// its QUIC datagrams (wire profile 7): our audio track goes out as
// varint(our flow id) || RTP(SFrame(Opus)), and the peer's track comes in
// on the flow id its INVITE or ACCEPT announced, under the SFrame key its
// KEY_EXCHANGE carried (draft 5.23: each side sends its own sending key).
//
// Keys and media race: the peer's first datagrams may overtake its
// KEY_EXCHANGE (a datagram and a stream frame are not ordered). Datagrams of
// the peer's flow that arrive before any peer key are held (at most
// max_held_datagrams, one second of audio) and played once the key is
// there, so a call does not lose its first words.
//
// No I/O, no clock, no threads: the caller sends what send() returns,
// passes received datagrams and times in, and pulls one frame per 20 ms.
// The sending side (send) and the receiving side (everything else) share
// no state, so one thread may send while another receives; each side needs
// its own serialization.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

#include "media/audio_chain.hpp"
#include "media/bytes.hpp"
#include "media/jitter_buffer.hpp"

namespace qsip::media {

struct CallMediaSettings {
  std::uint64_t flow_id = 0;  // our audio track's, as announced in INVITE / ACCEPT `tracks`
  AudioSendSettings send;     // our SFrame key (told to the peer), SSRC, first sequence and timestamp, Opus
  JitterBufferSettings jitter;
};

enum class DatagramOutcome {
  delivered,       // handed to the audio chain: see last_chain_outcome()
  malformed,       // no flow id varint
  other_flow,      // not the peer's audio flow (or the peer's flow is not known yet)
  held_for_key,    // the peer's flow before the peer's key: held
  dropped_awaiting_key,  // ... and the hold is full
};

struct CallMediaStats {
  std::uint64_t sent = 0;
  std::uint64_t send_refused = 0;  // the SFrame key is spent (2^64 frames)
  std::uint64_t malformed = 0;
  std::uint64_t other_flow = 0;
  std::uint64_t held_for_key = 0;
  std::uint64_t dropped_awaiting_key = 0;
};

class CallMediaSession {
 public:
  static constexpr std::size_t max_held_datagrams = 50;

  explicit CallMediaSession(const CallMediaSettings& settings);

  // Sending side: the datagram carrying one 20 ms mono frame (960 samples),
  // nullopt when the key is spent.
  std::optional<Bytes> send(PcmView frame);
  std::uint64_t flow_id() const { return flow_id_; }

  // Receiving side.
  void set_peer_flow(std::uint64_t flow_id) { peer_flow_ = flow_id; }
  std::optional<std::uint64_t> peer_flow() const { return peer_flow_; }
  // The peer's sending key. False when it names another suite than the
  // peer's first key did, or the receiver holds too many keys.
  bool add_peer_key(CipherSuite suite, std::uint64_t kid, ByteView base_key);
  bool has_peer_key() const { return receive_ != nullptr; }
  DatagramOutcome receive(ByteView datagram, MediaTime arrival);
  // One 20 ms frame to play at `now`: silence until the peer's key and
  // first packets are there.
  PlayoutFrame pull(MediaTime now);

  const CallMediaStats& stats() const { return stats_; }
  ReceiveOutcome last_chain_outcome() const { return last_chain_outcome_; }
  // The receive chain's counters and jitter buffer; null before the first key.
  const AudioReceiveChain* receive_chain() const { return receive_.get(); }

 private:
  struct Held {
    Bytes rtp_packet;
    MediaTime arrival;
  };

  std::uint64_t flow_id_;
  AudioSendChain send_;
  JitterBufferSettings jitter_settings_;
  std::optional<std::uint64_t> peer_flow_;
  std::optional<CipherSuite> peer_suite_;
  std::unique_ptr<AudioReceiveChain> receive_;  // made with the peer's first key
  std::deque<Held> held_;
  ReceiveOutcome last_chain_outcome_ = ReceiveOutcome::accepted;
  CallMediaStats stats_;
};

}  // namespace qsip::media
