#pragma once
// Media datagrams (wire profile section 7): each QUIC DATAGRAM carries
// varint(flow_id) || one RTP packet, as in RTP over QUIC. The flow id names
// the track the sender announced (INVITE / ACCEPT / MEDIA_UPDATE `tracks`);
// a relay may rewrite it per receiver and touches nothing else.
#include <cstdint>
#include <optional>

#include "core/varint.hpp"  // header-only: the QUIC varint of the wire format
#include "media/bytes.hpp"

namespace qsip::media {

inline constexpr std::uint64_t max_flow_id = core::kMaxVarint;

// flow_id must be <= max_flow_id (std::invalid_argument otherwise).
Bytes frame_media_datagram(std::uint64_t flow_id, ByteView rtp_packet);

struct MediaDatagramView {
  std::uint64_t flow_id = 0;
  ByteView rtp_packet;  // a view into the datagram
};
// nullopt when the datagram is too short for its varint.
std::optional<MediaDatagramView> parse_media_datagram(ByteView datagram);

}  // namespace qsip::media
