#pragma once
// What the jitter buffer needs of a codec: one frame out of a packet, out of
// the FEC data of the next packet, or out of nothing (concealment). Opus
// implements it (opus_codec.hpp); tests use a recording fake.
#include <cstdint>
#include <span>
#include <vector>

#include "media/bytes.hpp"

namespace qsip::media {

using Pcm = std::vector<std::int16_t>;
using PcmView = std::span<const std::int16_t>;

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  virtual Pcm decode(ByteView packet) = 0;
  virtual Pcm decode_fec(ByteView next_packet) = 0;
  virtual Pcm conceal() = 0;
  // Interleaved samples in one frame (all channels).
  virtual std::size_t frame_samples() const = 0;
};

}  // namespace qsip::media
