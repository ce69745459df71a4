// The metric families qsipd exposes, declared once with their help text so
// every component updates the same series. Components receive a reference
// to this struct; nothing here is global.
#pragma once

#include "server/metrics.hpp"

namespace qsip::server {

struct ServerMetrics {
  // Declares every family in `registry` (which must outlive this).
  explicit ServerMetrics(MetricsRegistry& registry);

  Gauge& connections;                    // qsip_connections
  Counter& connections_accepted;         // qsip_connections_accepted_total
  Family<Counter>& handshakes;           // qsip_handshakes_total{result}
  Histogram& handshake_duration;         // qsip_handshake_duration_seconds
  Histogram& request_duration;           // qsip_request_duration_seconds
  Family<Counter>& messages_in;          // qsip_messages_in_total{type}
  Family<Counter>& messages_out;         // qsip_messages_out_total{type}
  Family<Counter>& errors;               // qsip_errors_total{code}
  Counter& bytes_in;                     // qsip_bytes_in_total
  Counter& bytes_out;                    // qsip_bytes_out_total
  Counter& datagrams_in;                 // qsip_datagrams_in_total
  Counter& datagrams_out;                // qsip_datagrams_out_total
  Counter& datagrams_dropped;            // qsip_datagrams_dropped_total
  Gauge& send_queue_bytes;               // qsip_send_queue_bytes
  Gauge& start_time;                     // qsip_start_time_seconds
  Family<Gauge>& build_info;             // qsip_build_info{version}
};

// Bucket bounds, in seconds. A handshake is bounded by TLS at about half a
// millisecond of CPU and by the round trips; a request by the store's group
// commit (a few milliseconds).
inline const std::vector<double> kHandshakeDurationBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1,    2.5};
inline const std::vector<double> kRequestDurationBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                           0.025,  0.05,    0.1,    0.25,  0.5,    1};

}  // namespace qsip::server
