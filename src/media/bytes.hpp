#pragma once
// Byte strings of the media library and the big-endian helpers its wire
// formats (SFrame, RTP, WAV's little-endian aside) are written with.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace qsip::media {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Appends the low `width` bytes of `value`, most significant first.
inline void append_big_endian(Bytes& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i > 0; --i) {
    out.push_back(static_cast<std::uint8_t>(value >> (8 * (i - 1))));
  }
}

// Reads `bytes.size()` (at most 8) bytes as a big-endian unsigned number.
inline std::uint64_t read_big_endian(ByteView bytes) {
  std::uint64_t value = 0;
  for (std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

// How many bytes the big-endian form of `value` needs (at least 1).
inline std::size_t minimal_width(std::uint64_t value) {
  std::size_t width = 1;
  while (width < 8 && (value >> (8 * width)) != 0) ++width;
  return width;
}

}  // namespace qsip::media
