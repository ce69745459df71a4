// UUIDv4 text from 16 random bytes. The caller supplies the randomness
// (core has no I/O and no entropy source of its own).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace qsip::core {

inline std::string uuid_v4(std::array<std::uint8_t, 16> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace qsip::core
