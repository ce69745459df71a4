// Feeds what the dispatcher reports into the qsip_* metric families. The
// per-type and per-code series are looked up once, at construction, so the
// message path touches only atomics.
#pragma once

#include <array>
#include <string_view>
#include <unordered_map>

#include "core/message_type.hpp"
#include "server/dispatch/dispatch_observer.hpp"
#include "server/server_metrics.hpp"

namespace qsip::server {

class MetricsObserver final : public DispatchObserver {
 public:
  explicit MetricsObserver(ServerMetrics& metrics);
  void message_in(std::string_view type, std::size_t bytes) override;
  void message_out(std::string_view type, std::size_t bytes) override;
  void error_sent(core::ErrorCode code) override;
  void request_handled(std::chrono::nanoseconds latency) override;

 private:
  Counter* counter_for(std::unordered_map<std::string_view, Counter*>& cache, Family<Counter>& family,
                       std::string_view type);
  ServerMetrics& metrics_;
  std::unordered_map<std::string_view, Counter*> in_;
  std::unordered_map<std::string_view, Counter*> out_;
  std::unordered_map<std::uint16_t, Counter*> errors_;
};

}  // namespace qsip::server
