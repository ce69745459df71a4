// The in-memory side of analytics: events are added to the aggregate of
// their bucket; closed buckets are taken out for the store. Thread-safe
// (every worker adds); bounded in keys, beyond which events are dropped and
// counted.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "server/analytics/analytics_aggregate.hpp"

namespace qsip::server {

class AnalyticsAggregator {
 public:
  AnalyticsAggregator(std::int64_t bucket_seconds, bool include_user_ids, std::size_t max_keys = 20000)
      : bucket_ms_(bucket_seconds * 1000), include_user_ids_(include_user_ids), max_keys_(max_keys) {}

  // False when the event was dropped (too many distinct keys in memory).
  bool add(const AnalyticsEvent& event, std::int64_t now_ms);
  // The aggregates whose bucket ended at or before now_ms, removed.
  std::vector<AnalyticsAggregate> take_closed(std::int64_t now_ms);
  // Everything, removed (at shutdown).
  std::vector<AnalyticsAggregate> take_all();
  // A copy of what is in memory (queries add it to what is stored).
  std::vector<AnalyticsAggregate> snapshot() const;

  std::int64_t bucket_seconds() const { return bucket_ms_ / 1000; }
  bool include_user_ids() const { return include_user_ids_; }
  std::uint64_t dropped() const;

 private:
  const std::int64_t bucket_ms_;
  const bool include_user_ids_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::map<AnalyticsKey, AnalyticsAggregate> open_;
  std::uint64_t dropped_ = 0;
};

}  // namespace qsip::server
