#include "media/media_datagram.hpp"

#include <stdexcept>

namespace qsip::media {

Bytes frame_media_datagram(std::uint64_t flow_id, ByteView rtp_packet) {
  if (flow_id > max_flow_id) throw std::invalid_argument("flow id beyond 2^62-1");
  Bytes out(core::varint_size(flow_id) + rtp_packet.size());
  const std::size_t prefix = core::varint_encode(flow_id, out.data());
  std::copy(rtp_packet.begin(), rtp_packet.end(), out.begin() + static_cast<std::ptrdiff_t>(prefix));
  return out;
}

std::optional<MediaDatagramView> parse_media_datagram(ByteView datagram) {
  const auto flow = core::varint_decode(datagram);
  if (!flow) return std::nullopt;
  return MediaDatagramView{flow->value, datagram.subspan(flow->size)};
}

}  // namespace qsip::media
