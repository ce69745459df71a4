// Aggregates of analytics events per time bucket (docs/analytics.md
// "Aggregates"): by (bucket, event_name, metric, dimensions) a count, and
// for numeric values their count, sum, min, max and a fixed histogram; for
// string values a count per value. Reusable by any producer of samples
// (client ANALYTICS today, queue statistics later).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "server/analytics/analytics_event.hpp"

namespace qsip::server {

// Upper bounds (inclusive) of the histogram's buckets; one more bucket
// counts the values above the last bound. Chosen for durations in seconds
// and sizes alike: 1-2-5 steps from 0 to 100,000.
inline constexpr std::array<double, 16> kAnalyticsHistogramBounds = {
    0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000};
inline constexpr std::size_t kAnalyticsHistogramSize = kAnalyticsHistogramBounds.size() + 1;
// Distinct string values counted per aggregate; further ones add to `other_values`.
inline constexpr std::size_t kMaxAnalyticsStringValues = 32;
// Distinct users remembered per aggregate (include_user_ids); beyond, the count stops growing.
inline constexpr std::size_t kMaxAnalyticsUsers = 100000;

struct AnalyticsKey {
  std::int64_t bucket_start_ms = 0;
  std::string event_name;
  std::string metric;
  std::string dimensions_json = "{}";
  auto operator<=>(const AnalyticsKey&) const = default;
};

struct AnalyticsAggregate {
  AnalyticsKey key;
  std::int64_t bucket_seconds = 60;
  std::int64_t count = 0;
  std::int64_t value_count = 0;  // numeric values
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  std::array<std::int64_t, kAnalyticsHistogramSize> histogram{};
  std::map<std::string, std::int64_t> string_values;
  std::int64_t other_values = 0;
  // Distinct users: the ids only in memory until flushed, then only their number.
  std::set<std::string> users;
  std::int64_t stored_users = 0;
  bool count_users = false;

  void add(const AnalyticsEvent& event);
  // Adds another aggregate of the same key (a bucket flushed twice: at
  // shutdown and after a restart). Distinct users then add up: an upper bound.
  void merge(const AnalyticsAggregate& other);
  std::int64_t distinct_users() const { return stored_users + static_cast<std::int64_t>(users.size()); }
};

std::size_t analytics_histogram_index(double value);

// The aggregate as an answer's JSON object (docs/analytics.md).
std::string analytics_aggregate_json(const AnalyticsAggregate& aggregate);

}  // namespace qsip::server
