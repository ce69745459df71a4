// Counters of one QUIC endpoint (a Server or a ClientEndpoint) for the
// /metrics endpoint. Every field is a relaxed atomic written by the worker
// threads; snapshot() copies them into a plain struct for export.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace qsip::quic {

// Why the endpoint refused a new connection attempt.
enum class RefusalReason : unsigned {
  kMaxConnections = 0,   // ServerConfig::max_connections reached
  kHandshakeRate,        // source address over handshakes_per_second_per_address
  kInvalidRetryToken,    // Retry token did not verify (expired or forged)
  kNotAccepting,         // graceful stop in progress
  kCount
};

// Upper bounds (microseconds) of the handshake latency histogram buckets;
// a last, implicit bucket counts everything slower.
inline constexpr std::array<uint64_t, 12> kHandshakeLatencyBucketsUs = {
    250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000};

struct EndpointStatsSnapshot {
  uint64_t connections_open = 0;        // gauge: connections alive now
  uint64_t connections_accepted = 0;    // server: Initial packets that created a connection
  uint64_t connections_closed = 0;      // connections destroyed, for any reason
  uint64_t handshakes_in_flight = 0;    // gauge: created but not yet handshake-complete
  uint64_t handshakes_completed = 0;
  uint64_t handshakes_failed = 0;       // closed before the handshake completed
  uint64_t handshakes_resumed = 0;      // completed with a session ticket
  uint64_t early_data_accepted = 0;     // completed with 0-RTT accepted
  std::array<uint64_t, kHandshakeLatencyBucketsUs.size() + 1> handshake_latency_buckets{};
  uint64_t handshake_latency_sum_us = 0;
  uint64_t bytes_in = 0;                // UDP payload bytes received
  uint64_t bytes_out = 0;               // UDP payload bytes sent
  uint64_t packets_in = 0;
  uint64_t packets_out = 0;
  uint64_t send_errors = 0;             // packets the kernel refused (EAGAIN included)
  uint64_t datagrams_in = 0;
  uint64_t datagrams_out = 0;
  uint64_t datagrams_dropped = 0;       // too big, peer without DATAGRAM, or queue full
  uint64_t send_queue_bytes = 0;        // gauge: stream bytes queued but not acknowledged
  uint64_t droppable_refused = 0;       // droppable sends refused over the soft bound
  uint64_t send_queue_overflows = 0;    // connections closed over the hard bound
  uint64_t retries_sent = 0;
  uint64_t stateless_resets_sent = 0;
  uint64_t stateless_resets_received = 0;
  uint64_t version_negotiations_sent = 0;
  uint64_t packets_forwarded = 0;       // handed to the owning worker via its inbox
  uint64_t idle_timeouts = 0;
  std::array<uint64_t, static_cast<unsigned>(RefusalReason::kCount)> refusals{};
};

struct EndpointStats {
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_closed{0};
  std::atomic<uint64_t> handshakes_in_flight{0};
  std::atomic<uint64_t> handshakes_completed{0};
  std::atomic<uint64_t> handshakes_failed{0};
  std::atomic<uint64_t> handshakes_resumed{0};
  std::atomic<uint64_t> early_data_accepted{0};
  std::array<std::atomic<uint64_t>, kHandshakeLatencyBucketsUs.size() + 1>
      handshake_latency_buckets{};
  std::atomic<uint64_t> handshake_latency_sum_us{0};
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> bytes_out{0};
  std::atomic<uint64_t> packets_in{0};
  std::atomic<uint64_t> packets_out{0};
  std::atomic<uint64_t> send_errors{0};
  std::atomic<uint64_t> datagrams_in{0};
  std::atomic<uint64_t> datagrams_out{0};
  std::atomic<uint64_t> datagrams_dropped{0};
  std::atomic<uint64_t> send_queue_bytes{0};
  std::atomic<uint64_t> droppable_refused{0};
  std::atomic<uint64_t> send_queue_overflows{0};
  std::atomic<uint64_t> retries_sent{0};
  std::atomic<uint64_t> stateless_resets_sent{0};
  std::atomic<uint64_t> stateless_resets_received{0};
  std::atomic<uint64_t> version_negotiations_sent{0};
  std::atomic<uint64_t> packets_forwarded{0};
  std::atomic<uint64_t> idle_timeouts{0};
  std::array<std::atomic<uint64_t>, static_cast<unsigned>(RefusalReason::kCount)> refusals{};

  void add(std::atomic<uint64_t>& counter, uint64_t n = 1) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
  void sub(std::atomic<uint64_t>& counter, uint64_t n = 1) {
    counter.fetch_sub(n, std::memory_order_relaxed);
  }
  void refuse(RefusalReason reason) { add(refusals[static_cast<unsigned>(reason)]); }
  void record_handshake_latency(uint64_t micros);

  EndpointStatsSnapshot snapshot() const;
};

}  // namespace qsip::quic
