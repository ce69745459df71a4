// QUIC variable-length integers (RFC 9000 section 16), used by the framing of
// wire profile section 2 and by the flow ids of media datagrams (section 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace qsip::core {

inline constexpr std::uint64_t kMaxVarint = (std::uint64_t{1} << 62) - 1;

// Bytes needed to encode v (v <= kMaxVarint).
constexpr std::size_t varint_size(std::uint64_t v) {
  return v < 64 ? 1 : v < 16384 ? 2 : v < 1073741824 ? 4 : 8;
}

// Writes v at out (which has room for varint_size(v) bytes); returns the size.
inline std::size_t varint_encode(std::uint64_t v, std::uint8_t* out) {
  std::size_t n = varint_size(v);
  static constexpr std::uint8_t kPrefix[] = {0, 0x00, 0x40, 0, 0x80, 0, 0, 0, 0xc0};
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
  out[0] = static_cast<std::uint8_t>(out[0] | kPrefix[n]);
  return n;
}

// The length of a varint from its first byte.
constexpr std::size_t varint_length(std::uint8_t first) { return std::size_t{1} << (first >> 6); }

struct DecodedVarint {
  std::uint64_t value;
  std::size_t size;
};

// Decodes the varint at the start of `in`; nullopt when `in` is too short.
inline std::optional<DecodedVarint> varint_decode(std::span<const std::uint8_t> in) {
  if (in.empty()) return std::nullopt;
  std::size_t n = varint_length(in[0]);
  if (in.size() < n) return std::nullopt;
  std::uint64_t v = in[0] & 0x3f;
  for (std::size_t i = 1; i < n; ++i) v = (v << 8) | in[i];
  return DecodedVarint{v, n};
}

}  // namespace qsip::core
