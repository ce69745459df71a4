// Per-connection transport settings and limits, shared by both roles.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace qsip::quic {

struct ConnectionLimits {
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  // Concurrent bidirectional streams the peer may open.
  uint64_t max_streams_bidi = 100;
  // Receive windows advertised to the peer.
  uint64_t stream_window = 256 * 1024;
  uint64_t connection_window = 1024 * 1024;
  // Send queue: stream bytes accepted by Connection::send and not yet
  // acknowledged by the peer. Over the soft bound droppable sends are
  // refused; over the hard bound the connection is closed with
  // kAppErrorSendQueueOverflow.
  size_t send_queue_soft_limit = 1 * 1024 * 1024;
  size_t send_queue_hard_limit = 4 * 1024 * 1024;
  // DATAGRAM frames waiting for the congestion window; more are dropped.
  size_t max_queued_datagrams = 128;
  // Largest DATAGRAM frame we accept (transport parameter).
  uint64_t max_datagram_frame_size = 1500;
  // Client: send PING after this much quiet so the server does not idle us
  // out (0 = off).
  std::chrono::milliseconds keepalive{0};
};

}  // namespace qsip::quic
