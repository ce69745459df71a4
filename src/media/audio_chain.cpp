#include "media/audio_chain.hpp"

#include "media/rtp_packet.hpp"

namespace qsip::media {

AudioSendChain::AudioSendChain(const AudioSendSettings& settings)
    : encoder_(settings.opus),
      packetizer_(settings.ssrc, settings.first_sequence, settings.first_timestamp),
      sframe_(settings.suite, settings.kid, settings.base_key) {}

std::optional<Bytes> AudioSendChain::send(PcmView frame) {
  const Bytes opus = encoder_.encode(frame);
  Bytes packet = write_rtp_packet(packetizer_.next_header(), {});
  const std::optional<Bytes> sealed = sframe_.protect(opus, packet);
  if (!sealed) return std::nullopt;
  packet.insert(packet.end(), sealed->begin(), sealed->end());
  return packet;
}

AudioReceiveChain::AudioReceiveChain(CipherSuite suite, int channels, JitterBufferSettings jitter)
    : sframe_(suite), decoder_(channels), jitter_(decoder_, jitter) {}

ReceiveOutcome AudioReceiveChain::receive(ByteView rtp_packet, MediaTime arrival) {
  const RtpReadResult rtp = read_rtp_packet(rtp_packet);
  if (!rtp.packet) {
    ++stats_.not_rtp;
    return ReceiveOutcome::not_rtp;
  }
  const RtpHeader& header = rtp.packet->header;
  if (header.payload_type != opus_payload_type) {
    ++stats_.wrong_payload_type;
    return ReceiveOutcome::wrong_payload_type;
  }
  // The header as it came (CSRCs and extension included) is the AAD.
  const ByteView header_bytes =
      rtp_packet.first(static_cast<std::size_t>(rtp.packet->payload.data() - rtp_packet.data()));
  UnprotectResult opened = sframe_.unprotect(rtp.packet->payload, header_bytes);
  last_sframe_status_ = opened.status;
  if (opened.status != UnprotectStatus::ok) {
    ++stats_.sframe_refused;
    return ReceiveOutcome::sframe_refused;
  }
  if (!ssrc_) ssrc_ = header.ssrc;
  if (header.ssrc != *ssrc_) {
    ++stats_.other_ssrc;
    return ReceiveOutcome::other_ssrc;
  }
  const InsertOutcome inserted = jitter_.insert(header.sequence, header.timestamp, opened.plaintext, arrival);
  if (inserted != InsertOutcome::accepted && inserted != InsertOutcome::resynchronized) {
    ++stats_.jitter_refused;
    return ReceiveOutcome::jitter_refused;
  }
  ++stats_.accepted;
  return ReceiveOutcome::accepted;
}

}  // namespace qsip::media
