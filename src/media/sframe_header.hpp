#pragma once
// The SFrame header (RFC 9605 section 4.3): one config byte X|K|Y|C, then
// the KID bytes when X is set (K = length - 1), then the CTR bytes when Y is
// set (C = length - 1). Values 0..7 fit in K or C themselves. Encoding is
// always minimal; decoding accepts any valid length.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "media/bytes.hpp"

namespace qsip::media {

struct SframeHeader {
  std::uint64_t kid = 0;
  std::uint64_t counter = 0;
  friend bool operator==(const SframeHeader&, const SframeHeader&) = default;
};

// The longest header: config byte + 8 KID bytes + 8 CTR bytes.
inline constexpr std::size_t max_sframe_header_size = 17;

void append_sframe_header(Bytes& out, const SframeHeader& header);
Bytes encode_sframe_header(const SframeHeader& header);

struct DecodedSframeHeader {
  SframeHeader header;
  std::size_t size;  // bytes the header took at the start of the input
};
// nullopt when the input is shorter than the header it announces.
std::optional<DecodedSframeHeader> decode_sframe_header(ByteView input);

}  // namespace qsip::media
