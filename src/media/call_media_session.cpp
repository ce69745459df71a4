#include "media/call_media_session.hpp"

#include "media/media_datagram.hpp"
#include "media/opus_codec.hpp"

namespace qsip::media {

CallMediaSession::CallMediaSession(const CallMediaSettings& settings)
    : flow_id_(settings.flow_id), send_(settings.send), jitter_settings_(settings.jitter) {}

std::optional<Bytes> CallMediaSession::send(PcmView frame) {
  const std::optional<Bytes> packet = send_.send(frame);
  if (!packet) {
    ++stats_.send_refused;
    return std::nullopt;
  }
  ++stats_.sent;
  return frame_media_datagram(flow_id_, *packet);
}

bool CallMediaSession::add_peer_key(CipherSuite suite, std::uint64_t kid, ByteView base_key) {
  if (peer_suite_ && *peer_suite_ != suite) return false;
  if (!receive_) receive_ = std::make_unique<AudioReceiveChain>(suite, 1, jitter_settings_);
  if (!receive_->add_key(kid, base_key)) return false;
  peer_suite_ = suite;
  // What waited for the key plays now, with the times it really arrived.
  std::deque<Held> held;
  held.swap(held_);
  for (const Held& packet : held) last_chain_outcome_ = receive_->receive(packet.rtp_packet, packet.arrival);
  return true;
}

DatagramOutcome CallMediaSession::receive(ByteView datagram, MediaTime arrival) {
  const auto parsed = parse_media_datagram(datagram);
  if (!parsed) {
    ++stats_.malformed;
    return DatagramOutcome::malformed;
  }
  if (!peer_flow_ || parsed->flow_id != *peer_flow_) {
    ++stats_.other_flow;
    return DatagramOutcome::other_flow;
  }
  if (!receive_) {
    if (held_.size() >= max_held_datagrams) {
      ++stats_.dropped_awaiting_key;
      return DatagramOutcome::dropped_awaiting_key;
    }
    held_.push_back(Held{Bytes(parsed->rtp_packet.begin(), parsed->rtp_packet.end()), arrival});
    ++stats_.held_for_key;
    return DatagramOutcome::held_for_key;
  }
  last_chain_outcome_ = receive_->receive(parsed->rtp_packet, arrival);
  return DatagramOutcome::delivered;
}

PlayoutFrame CallMediaSession::pull(MediaTime now) {
  if (receive_) return receive_->pull(now);
  return PlayoutFrame{PlayoutKind::silence, Pcm(samples_per_channel_per_frame, 0)};
}

}  // namespace qsip::media
