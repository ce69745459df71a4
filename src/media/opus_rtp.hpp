#pragma once
// Opus over RTP (RFC 7587): the RTP clock is always 48 kHz whatever the
// codec's internal bandwidth, one Opus packet per RTP packet, and here always
// one 20 ms frame per Opus packet, so the timestamp advances by 960 per
// packet and the sequence number by one.
#include <cstdint>

#include "media/bytes.hpp"
#include "media/rtp_packet.hpp"

namespace qsip::media {

inline constexpr std::uint32_t opus_rtp_clock_rate = 48000;
inline constexpr std::uint32_t opus_frame_ms = 20;
inline constexpr std::uint32_t opus_frame_samples = opus_rtp_clock_rate / 1000 * opus_frame_ms;  // 960
// A dynamic payload type (RFC 3551 section 6); QSIP negotiates no SDP, so
// both sides use this one.
inline constexpr std::uint8_t opus_payload_type = 111;
// The largest Opus packet of one frame (RFC 6716 section 3.4, R5).
inline constexpr std::size_t max_opus_packet_size = 1275;

// Numbers successive Opus packets of one stream. The first sequence number
// and timestamp are the caller's (random, RFC 3550 section 5.1); the marker
// is set on the first packet of a talkspurt (RFC 7587 section 4.2).
class OpusRtpPacketizer {
 public:
  OpusRtpPacketizer(std::uint32_t ssrc, std::uint16_t first_sequence, std::uint32_t first_timestamp);

  Bytes packetize(ByteView opus_packet);
  // The header of the next packet, advancing as packetize() does: for a
  // caller that protects the payload before writing the packet (SFrame).
  RtpHeader next_header();
  // The next packet starts a talkspurt; `skipped_frames` frames were not sent
  // (discontinuous transmission), so the timestamp jumps over them.
  void start_talkspurt(std::uint32_t skipped_frames);

  std::uint16_t next_sequence() const { return sequence_; }
  std::uint32_t next_timestamp() const { return timestamp_; }

 private:
  std::uint32_t ssrc_;
  std::uint16_t sequence_;
  std::uint32_t timestamp_;
  bool marker_ = true;
};

}  // namespace qsip::media
