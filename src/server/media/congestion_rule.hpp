// When the relay gives a receiver another datagram (docs/calls.md "Media
// relay"): media is useless late, so a receiver whose congestion window is
// full, or whose datagram queue already holds a few packets, loses the
// packet instead of queueing it, and nobody else waits for it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qsip::server::media {

// Datagrams that may wait in a receiver's queue: a worker reads up to 256
// packets before it writes, so a burst of a few senders must fit; beyond
// this the receiver is not keeping up (about 0.6 s of one 20 ms audio flow).
inline constexpr std::size_t kMaxQueuedDatagrams = 32;

struct ReceiverLink {
  std::size_t queued_datagrams = 0;
  std::size_t queued_bytes = 0;
  std::uint64_t cwnd_left = 0;  // bytes the congestion window still admits
};

// True when a datagram of `size` bytes may join the receiver's queue: the
// queue holds fewer than kMaxQueuedDatagrams and, with the queue, it fits in
// the congestion window (an empty queue always takes one, so a receiver is
// never starved while the window reopens).
inline bool receiver_has_room(const ReceiverLink& link, std::size_t size) {
  if (link.queued_datagrams >= kMaxQueuedDatagrams) return false;
  if (link.queued_datagrams == 0) return true;
  return link.queued_bytes + size <= link.cwnd_left;
}

}  // namespace qsip::server::media
