// Counters of one relayed flow, updated from worker threads without a lock
// (relaxed atomics) and read by /metrics. An incoming (sender) flow counts
// what arrived, the RTP sequence-number gaps (losses before the relay) and
// the copies it could not forward; an outgoing (receiver) flow counts what
// was forwarded, what was dropped (congestion, the test hook) and keeps the
// receiver's bandwidth estimate for simulcast.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

namespace qsip::server::media {

struct FlowCounters {
  std::atomic<std::uint64_t> packets{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> losses{0};
  std::atomic<std::uint64_t> drops{0};
  std::atomic<std::uint64_t> bandwidth_bps{0};  // outgoing: last estimate, 0 = none yet
  // Incoming: the highest RTP sequence number seen, plus kSeqSeen once one was.
  std::atomic<std::uint32_t> last_seq{0};

  static constexpr std::uint32_t kSeqSeen = 0x10000;

  void add(std::uint64_t n, std::atomic<std::uint64_t>& counter) { counter.fetch_add(n, std::memory_order_relaxed); }
  void count_packet(std::size_t size) {
    add(1, packets);
    add(size, bytes);
  }
  void count_drop() { add(1, drops); }
  // Counts the gap before an RTP packet's sequence number (RFC 3550 5.1).
  // Only the sender's worker calls it for a flow, so load/store suffice.
  void observe_rtp(std::span<const std::uint8_t> rtp);
};

// The gap between the last sequence number and `seq` that counts as lost:
// 0 for the next packet, a duplicate or a late (reordered) one; a jump of
// more than 3,000 is taken as a restart of the sender, not a loss.
std::uint32_t rtp_gap(std::uint16_t last, std::uint16_t seq);

}  // namespace qsip::server::media
