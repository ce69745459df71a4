#pragma once
// RTP packets (RFC 3550 section 5.1). The writer emits version 2 with no
// padding, no extension and no CSRC; the reader accepts any valid packet,
// skipping CSRCs, a header extension and padding, and checks every length
// against the bytes it was given before reading.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "media/bytes.hpp"

namespace qsip::media {

struct RtpHeader {
  bool marker = false;
  std::uint8_t payload_type = 0;  // 0..127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  friend bool operator==(const RtpHeader&, const RtpHeader&) = default;
};

inline constexpr std::size_t rtp_fixed_header_size = 12;

// Header || payload. The payload type is masked to 7 bits.
Bytes write_rtp_packet(const RtpHeader& header, ByteView payload);

struct RtpPacketView {
  RtpHeader header;
  ByteView payload;  // a view into the bytes given to read_rtp_packet
};

enum class RtpReadError {
  too_short,         // less than the fixed header, or than its CSRCs / extension
  bad_version,       // V != 2
  bad_padding,       // padding count 0 or longer than the payload
};

struct RtpReadResult {
  std::optional<RtpPacketView> packet;
  RtpReadError error = RtpReadError::too_short;  // meaningful when packet is empty
};

RtpReadResult read_rtp_packet(ByteView bytes);

}  // namespace qsip::media
