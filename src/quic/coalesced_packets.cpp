#include "quic/coalesced_packets.hpp"

namespace qsip::quic {
namespace {

// Reads a QUIC variable-length integer at `pos`; false when it runs past
// the end.
bool read_varint(std::span<const uint8_t> data, size_t& pos, uint64_t& value) {
  if (pos >= data.size()) return false;
  const size_t len = size_t{1} << (data[pos] >> 6);
  if (data.size() - pos < len) return false;
  value = data[pos] & 0x3f;
  for (size_t i = 1; i < len; ++i) value = (value << 8) | data[pos + i];
  pos += len;
  return true;
}

}  // namespace

size_t long_header_packets_size(std::span<const uint8_t> datagram) {
  size_t pos = 0;
  while (pos < datagram.size() && (datagram[pos] & 0x80) != 0) {
    // Long header: flags(1) version(4) dcid_len(1) dcid scid_len(1) scid
    // [token_len token, Initial only] length payload.
    const uint8_t type = (datagram[pos] >> 4) & 0x03;
    size_t p = pos + 5;
    for (int cid = 0; cid < 2; ++cid) {
      if (p >= datagram.size()) return datagram.size();
      p += 1 + datagram[p];
    }
    uint64_t n = 0;
    if (type == 0x0) {  // Initial (QUIC v1 type bits)
      if (!read_varint(datagram, p, n) || n > datagram.size() - p) return datagram.size();
      p += static_cast<size_t>(n);
    } else if (type == 0x3) {  // Retry: no length, takes the whole datagram
      return datagram.size();
    }
    if (!read_varint(datagram, p, n) || n > datagram.size() - p) return datagram.size();
    pos = p + static_cast<size_t>(n);
  }
  return pos;
}

}  // namespace qsip::quic
