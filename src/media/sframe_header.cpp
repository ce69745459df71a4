#include "media/sframe_header.hpp"

namespace qsip::media {
namespace {

constexpr std::uint64_t max_inline_value = 7;

// The three low bits of a half of the config byte, and whether the value
// follows in extension bytes.
struct Field {
  std::uint8_t bits;
  bool extended;
  std::size_t width;
};

Field field_for(std::uint64_t value) {
  if (value <= max_inline_value) return Field{static_cast<std::uint8_t>(value), false, 0};
  const std::size_t width = minimal_width(value);
  return Field{static_cast<std::uint8_t>(width - 1), true, width};
}

}  // namespace

void append_sframe_header(Bytes& out, const SframeHeader& header) {
  const Field kid = field_for(header.kid);
  const Field ctr = field_for(header.counter);
  const auto config = static_cast<std::uint8_t>((kid.extended ? 0x80 : 0) | (kid.bits << 4) |
                                                (ctr.extended ? 0x08 : 0) | ctr.bits);
  out.push_back(config);
  if (kid.extended) append_big_endian(out, header.kid, kid.width);
  if (ctr.extended) append_big_endian(out, header.counter, ctr.width);
}

Bytes encode_sframe_header(const SframeHeader& header) {
  Bytes out;
  out.reserve(max_sframe_header_size);
  append_sframe_header(out, header);
  return out;
}

std::optional<DecodedSframeHeader> decode_sframe_header(ByteView input) {
  if (input.empty()) return std::nullopt;
  const std::uint8_t config = input[0];
  const bool kid_extended = (config & 0x80) != 0;
  const std::uint8_t kid_bits = (config >> 4) & 0x07;
  const bool ctr_extended = (config & 0x08) != 0;
  const std::uint8_t ctr_bits = config & 0x07;
  const std::size_t kid_width = kid_extended ? kid_bits + 1u : 0;
  const std::size_t ctr_width = ctr_extended ? ctr_bits + 1u : 0;
  const std::size_t size = 1 + kid_width + ctr_width;
  if (input.size() < size) return std::nullopt;
  SframeHeader header;
  header.kid = kid_extended ? read_big_endian(input.subspan(1, kid_width)) : kid_bits;
  header.counter = ctr_extended ? read_big_endian(input.subspan(1 + kid_width, ctr_width)) : ctr_bits;
  return DecodedSframeHeader{header, size};
}

}  // namespace qsip::media
