#include "server/media/flow_counters.hpp"

namespace qsip::server::media {

std::uint32_t rtp_gap(std::uint16_t last, std::uint16_t seq) {
  const std::uint16_t ahead = static_cast<std::uint16_t>(seq - last);
  if (ahead == 0 || ahead >= 0x8000 || ahead > 3000) return 0;
  return ahead - 1u;
}

void FlowCounters::observe_rtp(std::span<const std::uint8_t> rtp) {
  // An RTP header is at least 12 bytes, version 2; anything else is
  // forwarded all the same, just not counted for losses.
  if (rtp.size() < 12 || (rtp[0] >> 6) != 2) return;
  const auto seq = static_cast<std::uint16_t>((rtp[2] << 8) | rtp[3]);
  const std::uint32_t last = last_seq.load(std::memory_order_relaxed);
  if (last & kSeqSeen) {
    const auto previous = static_cast<std::uint16_t>(last & 0xffff);
    const std::uint16_t ahead = static_cast<std::uint16_t>(seq - previous);
    if (ahead == 0 || ahead >= 0x8000) return;  // duplicate or late: keep the highest
    add(rtp_gap(previous, seq), losses);
  }
  last_seq.store(kSeqSeen | seq, std::memory_order_relaxed);
}

}  // namespace qsip::server::media
