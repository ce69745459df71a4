#include "media/opus_rtp.hpp"

namespace qsip::media {

OpusRtpPacketizer::OpusRtpPacketizer(std::uint32_t ssrc, std::uint16_t first_sequence,
                                     std::uint32_t first_timestamp)
    : ssrc_(ssrc), sequence_(first_sequence), timestamp_(first_timestamp) {}

Bytes OpusRtpPacketizer::packetize(ByteView opus_packet) { return write_rtp_packet(next_header(), opus_packet); }

RtpHeader OpusRtpPacketizer::next_header() {
  const RtpHeader header{marker_, opus_payload_type, sequence_, timestamp_, ssrc_};
  marker_ = false;
  ++sequence_;  // both wrap modulo 2^16 and 2^32, as RTP wants
  timestamp_ += opus_frame_samples;
  return header;
}

void OpusRtpPacketizer::start_talkspurt(std::uint32_t skipped_frames) {
  timestamp_ += skipped_frames * opus_frame_samples;
  marker_ = true;
}

}  // namespace qsip::media
