#include "media/rtp_packet.hpp"

namespace qsip::media {
namespace {

constexpr std::uint8_t rtp_version = 2;

RtpReadResult failure(RtpReadError error) { return RtpReadResult{std::nullopt, error}; }

}  // namespace

Bytes write_rtp_packet(const RtpHeader& header, ByteView payload) {
  Bytes out;
  out.reserve(rtp_fixed_header_size + payload.size());
  out.push_back(rtp_version << 6);
  out.push_back(static_cast<std::uint8_t>((header.marker ? 0x80 : 0) | (header.payload_type & 0x7f)));
  append_big_endian(out, header.sequence, 2);
  append_big_endian(out, header.timestamp, 4);
  append_big_endian(out, header.ssrc, 4);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

RtpReadResult read_rtp_packet(ByteView bytes) {
  if (bytes.size() < rtp_fixed_header_size) return failure(RtpReadError::too_short);
  const std::uint8_t first = bytes[0];
  if ((first >> 6) != rtp_version) return failure(RtpReadError::bad_version);
  const bool padding = (first & 0x20) != 0;
  const bool extension = (first & 0x10) != 0;
  const std::size_t csrc_count = first & 0x0f;

  RtpHeader header;
  header.marker = (bytes[1] & 0x80) != 0;
  header.payload_type = bytes[1] & 0x7f;
  header.sequence = static_cast<std::uint16_t>(read_big_endian(bytes.subspan(2, 2)));
  header.timestamp = static_cast<std::uint32_t>(read_big_endian(bytes.subspan(4, 4)));
  header.ssrc = static_cast<std::uint32_t>(read_big_endian(bytes.subspan(8, 4)));

  std::size_t offset = rtp_fixed_header_size + 4 * csrc_count;
  if (bytes.size() < offset) return failure(RtpReadError::too_short);
  if (extension) {
    // 16-bit profile-defined id, 16-bit length in 32-bit words, then the words.
    if (bytes.size() - offset < 4) return failure(RtpReadError::too_short);
    const std::size_t words = read_big_endian(bytes.subspan(offset + 2, 2));
    offset += 4;
    if ((bytes.size() - offset) / 4 < words) return failure(RtpReadError::too_short);
    offset += 4 * words;
  }
  std::size_t end = bytes.size();
  if (padding) {
    // The last byte counts the padding, itself included.
    const std::size_t pad = bytes[bytes.size() - 1];
    if (pad == 0 || pad > end - offset) return failure(RtpReadError::bad_padding);
    end -= pad;
  }
  return RtpReadResult{RtpPacketView{header, bytes.subspan(offset, end - offset)}, RtpReadError::too_short};
}

}  // namespace qsip::media
