// The relay's per-flow counters in /metrics (docs/calls.md "Metrics"):
//   qsip_media_flow_packets_total, qsip_media_flow_bytes_total,
//   qsip_media_flow_losses_total, qsip_media_flow_drops_total
// labelled {session, user, flow, direction}: direction "in" is a sender's
// flow (its user and flow id), "out" a receiver's. Only live flows are
// rendered: they vanish when their session ends, so the output stays bounded.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "server/media/route_table.hpp"
#include "server/metrics.hpp"

namespace qsip::server::media {

class FlowMetricsExport {
 public:
  // Registers the four families in `registry` the first time; later
  // instances (another server in the same process) reuse them.
  FlowMetricsExport(MetricsRegistry& registry, const RouteTable& routes);
  ~FlowMetricsExport();
  FlowMetricsExport(const FlowMetricsExport&) = delete;
  FlowMetricsExport& operator=(const FlowMetricsExport&) = delete;

  // Where the families read their samples; shared by the four of them.
  struct Source {
    std::mutex mutex;
    const RouteTable* routes = nullptr;  // nullptr: nothing to render
  };

 private:
  std::shared_ptr<Source> source_;
};

}  // namespace qsip::server::media
