#include "media/audio_chain.hpp"

#include "media/rtp_packet.hpp"

namespace qsip::media {

AudioSendChain::AudioSendChain(const AudioSendSettings& settings)
    : encoder_(settings.opus),
      packetizer_(settings.ssrc, settings.first_sequence, settings.first_timestamp),
      sframe_(settings.suite, settings.kid, settings.base_key) {}

std::optional<Bytes> AudioSendChain::send(PcmView frame) {
  const Bytes opus = encoder_.encode(frame);
  return sframe_.protect(packetizer_.packetize(opus));
}

AudioReceiveChain::AudioReceiveChain(CipherSuite suite, int channels, JitterBufferSettings jitter)
    : sframe_(suite), decoder_(channels), jitter_(decoder_, jitter) {}

ReceiveOutcome AudioReceiveChain::receive(ByteView datagram, MediaTime arrival) {
  UnprotectResult opened = sframe_.unprotect(datagram);
  last_sframe_status_ = opened.status;
  if (opened.status != UnprotectStatus::ok) {
    ++stats_.sframe_refused;
    return ReceiveOutcome::sframe_refused;
  }
  const RtpReadResult rtp = read_rtp_packet(opened.plaintext);
  if (!rtp.packet) {
    ++stats_.not_rtp;
    return ReceiveOutcome::not_rtp;
  }
  const RtpHeader& header = rtp.packet->header;
  if (header.payload_type != opus_payload_type) {
    ++stats_.wrong_payload_type;
    return ReceiveOutcome::wrong_payload_type;
  }
  if (!ssrc_) ssrc_ = header.ssrc;
  if (header.ssrc != *ssrc_) {
    ++stats_.other_ssrc;
    return ReceiveOutcome::other_ssrc;
  }
  const InsertOutcome inserted = jitter_.insert(header.sequence, header.timestamp, rtp.packet->payload, arrival);
  if (inserted != InsertOutcome::accepted && inserted != InsertOutcome::resynchronized) {
    ++stats_.jitter_refused;
    return ReceiveOutcome::jitter_refused;
  }
  ++stats_.accepted;
  return ReceiveOutcome::accepted;
}

}  // namespace qsip::media
