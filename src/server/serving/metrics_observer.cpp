#include "server/serving/metrics_observer.hpp"

#include <string>

namespace qsip::server {

MetricsObserver::MetricsObserver(ServerMetrics& metrics) : metrics_(metrics) {
  for (const auto& spec : core::registered_types()) {
    in_[spec.name] = &metrics.messages_in.labels({spec.name});
    out_[spec.name] = &metrics.messages_out.labels({spec.name});
  }
  for (const auto& entry : core::error_registry())
    errors_[core::to_number(entry.code)] = &metrics.errors.labels({std::to_string(core::to_number(entry.code))});
}

Counter* MetricsObserver::counter_for(std::unordered_map<std::string_view, Counter*>& cache,
                                      Family<Counter>& family, std::string_view type) {
  auto it = cache.find(type);
  if (it != cache.end()) return it->second;
  // Custom types share one series: their names are chosen by clients.
  return &family.labels({"custom"});
}

void MetricsObserver::message_in(std::string_view type, std::size_t bytes) {
  counter_for(in_, metrics_.messages_in, type)->inc();
  metrics_.bytes_in.inc(bytes);
}

void MetricsObserver::message_out(std::string_view type, std::size_t bytes) {
  counter_for(out_, metrics_.messages_out, type)->inc();
  metrics_.bytes_out.inc(bytes);
}

void MetricsObserver::error_sent(core::ErrorCode code) {
  auto it = errors_.find(core::to_number(code));
  if (it != errors_.end()) it->second->inc();
}

void MetricsObserver::request_handled(std::chrono::nanoseconds latency) {
  metrics_.request_duration.observe(std::chrono::duration<double>(latency).count());
}

}  // namespace qsip::server
