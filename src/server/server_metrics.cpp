#include "server/server_metrics.hpp"

#include <chrono>

namespace qsip::server {

ServerMetrics::ServerMetrics(MetricsRegistry& r)
    : connections(r.gauge("qsip_connections", "Open QUIC connections.").get()),
      connections_accepted(
          r.counter("qsip_connections_accepted_total", "QUIC connections accepted (handshake started).").get()),
      handshakes(r.counter("qsip_handshakes_total", "Completed QUIC handshakes by result (ok, failed, refused).",
                           {"result"})),
      handshake_duration(r.histogram("qsip_handshake_duration_seconds",
                                     "Time from the first Initial packet to handshake completion.",
                                     kHandshakeDurationBounds)
                             .get()),
      request_duration(r.histogram("qsip_request_duration_seconds",
                                   "Time from a request frame read to its answer (RECEIPT or ERROR) queued.",
                                   kRequestDurationBounds)
                           .get()),
      messages_in(r.counter("qsip_messages_in_total", "Messages received, by message type.", {"type"})),
      messages_out(r.counter("qsip_messages_out_total", "Messages sent, by message type.", {"type"})),
      errors(r.counter("qsip_errors_total", "ERROR messages sent, by error code.", {"code"})),
      bytes_in(r.counter("qsip_bytes_in_total", "UDP payload bytes received.").get()),
      bytes_out(r.counter("qsip_bytes_out_total", "UDP payload bytes sent.").get()),
      datagrams_in(r.counter("qsip_datagrams_in_total", "QUIC DATAGRAM frames received.").get()),
      datagrams_out(r.counter("qsip_datagrams_out_total", "QUIC DATAGRAM frames sent.").get()),
      datagrams_dropped(
          r.counter("qsip_datagrams_dropped_total", "QUIC DATAGRAM frames dropped (congestion or send budget).")
              .get()),
      send_queue_bytes(
          r.gauge("qsip_send_queue_bytes", "Bytes queued for sending, summed over all connections.").get()),
      start_time(r.gauge("qsip_start_time_seconds", "Unix time the process started.").get()),
      build_info(r.gauge("qsip_build_info", "Always 1; the version is in the label.", {"version"})) {
  using namespace std::chrono;
  start_time.set(duration<double>(system_clock::now().time_since_epoch()).count());
  build_info.labels({QSIP_VERSION}).set(1);
}

}  // namespace qsip::server
