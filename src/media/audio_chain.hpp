#pragma once
// A call's audio path on each side, assembled from the parts of this
// library. Sending: a 20 ms PCM frame -> Opus -> SFrame -> RTP -> one RTP
// packet. Receiving: RTP packet -> RTP (Opus payload type) -> SFrame
// (authenticated, replay-checked) -> the stream's SSRC -> jitter buffer ->
// one decoded or concealed frame per tick.
//
// SFrame protects the RTP payload and authenticates the header (RFC 9605
// per-packet use): the packet is RTP header || SFrame header || AEAD(Opus),
// with the RTP header as the SFrame metadata (AAD). The wire profile (7)
// puts an RTP packet in each media datagram, and the relay reads its
// sequence numbers to count losses per flow; it cannot change a header bit
// without the receiver refusing the packet, and never sees the audio.
#include <cstdint>
#include <optional>

#include "media/bytes.hpp"
#include "media/jitter_buffer.hpp"
#include "media/opus_codec.hpp"
#include "media/opus_rtp.hpp"
#include "media/sframe_context.hpp"

namespace qsip::media {

struct AudioSendSettings {
  CipherSuite suite = default_cipher_suite;
  std::uint64_t kid = 0;
  Bytes base_key;
  std::uint32_t ssrc = 0;
  std::uint16_t first_sequence = 0;  // random per RFC 3550; the caller draws it
  std::uint32_t first_timestamp = 0;
  OpusEncoderSettings opus;
};

class AudioSendChain {
 public:
  explicit AudioSendChain(const AudioSendSettings& settings);
  // The RTP packet carrying one 20 ms frame (960 samples per channel);
  // nullopt when the SFrame key is spent and must be replaced by rekey().
  std::optional<Bytes> send(PcmView frame);
  void rekey(std::uint64_t kid, ByteView base_key) { sframe_.rekey(kid, base_key); }
  OpusFrameEncoder& encoder() { return encoder_; }

 private:
  OpusFrameEncoder encoder_;
  OpusRtpPacketizer packetizer_;
  SframeSender sframe_;
};

enum class ReceiveOutcome {
  accepted,
  not_rtp,          // the packet is no RTP packet
  wrong_payload_type,
  sframe_refused,   // see last_sframe_status()
  other_ssrc,       // the stream is locked to the first authenticated SSRC
  jitter_refused,   // duplicate, late or oversized: see the jitter buffer's stats
};

struct AudioReceiveStats {
  std::uint64_t accepted = 0;
  std::uint64_t not_rtp = 0;
  std::uint64_t wrong_payload_type = 0;
  std::uint64_t sframe_refused = 0;
  std::uint64_t other_ssrc = 0;
  std::uint64_t jitter_refused = 0;
};

class AudioReceiveChain {
 public:
  explicit AudioReceiveChain(CipherSuite suite = default_cipher_suite, int channels = 1,
                             JitterBufferSettings jitter = {});
  bool add_key(std::uint64_t kid, ByteView base_key) { return sframe_.add_key(kid, base_key); }
  void remove_key(std::uint64_t kid) { sframe_.remove_key(kid); }

  ReceiveOutcome receive(ByteView rtp_packet, MediaTime arrival);
  PlayoutFrame pull(MediaTime now) { return jitter_.pull(now); }

  UnprotectStatus last_sframe_status() const { return last_sframe_status_; }
  const AudioReceiveStats& stats() const { return stats_; }
  const JitterBuffer& jitter_buffer() const { return jitter_; }

 private:
  SframeReceiver sframe_;
  OpusFrameDecoder decoder_;
  JitterBuffer jitter_;
  std::optional<std::uint32_t> ssrc_;
  UnprotectStatus last_sframe_status_ = UnprotectStatus::ok;
  AudioReceiveStats stats_;
};

}  // namespace qsip::media
