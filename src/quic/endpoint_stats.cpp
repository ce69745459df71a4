// Histogram recording and snapshots of the endpoint counters.
#include "quic/endpoint_stats.hpp"

namespace qsip::quic {

void EndpointStats::record_handshake_latency(uint64_t micros) {
  size_t i = 0;
  while (i < kHandshakeLatencyBucketsUs.size() && micros > kHandshakeLatencyBucketsUs[i]) ++i;
  add(handshake_latency_buckets[i]);
  add(handshake_latency_sum_us, micros);
}

EndpointStatsSnapshot EndpointStats::snapshot() const {
  auto get = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  EndpointStatsSnapshot s;
  s.connections_open = get(connections_open);
  s.connections_accepted = get(connections_accepted);
  s.connections_closed = get(connections_closed);
  s.handshakes_in_flight = get(handshakes_in_flight);
  s.handshakes_completed = get(handshakes_completed);
  s.handshakes_failed = get(handshakes_failed);
  s.handshakes_resumed = get(handshakes_resumed);
  s.early_data_accepted = get(early_data_accepted);
  for (size_t i = 0; i < s.handshake_latency_buckets.size(); ++i) {
    s.handshake_latency_buckets[i] = get(handshake_latency_buckets[i]);
  }
  s.handshake_latency_sum_us = get(handshake_latency_sum_us);
  s.bytes_in = get(bytes_in);
  s.bytes_out = get(bytes_out);
  s.packets_in = get(packets_in);
  s.packets_out = get(packets_out);
  s.send_errors = get(send_errors);
  s.datagrams_in = get(datagrams_in);
  s.datagrams_out = get(datagrams_out);
  s.datagrams_dropped = get(datagrams_dropped);
  s.send_queue_bytes = get(send_queue_bytes);
  s.droppable_refused = get(droppable_refused);
  s.send_queue_overflows = get(send_queue_overflows);
  s.retries_sent = get(retries_sent);
  s.stateless_resets_sent = get(stateless_resets_sent);
  s.stateless_resets_received = get(stateless_resets_received);
  s.version_negotiations_sent = get(version_negotiations_sent);
  s.packets_forwarded = get(packets_forwarded);
  s.idle_timeouts = get(idle_timeouts);
  for (size_t i = 0; i < s.refusals.size(); ++i) s.refusals[i] = get(refusals[i]);
  return s;
}

}  // namespace qsip::quic
