#include "server/analytics/analytics_aggregate.hpp"

#include <algorithm>
#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"

namespace qsip::server {

std::size_t analytics_histogram_index(double value) {
  auto it = std::lower_bound(kAnalyticsHistogramBounds.begin(), kAnalyticsHistogramBounds.end(), value);
  return static_cast<std::size_t>(it - kAnalyticsHistogramBounds.begin());
}

void AnalyticsAggregate::add(const AnalyticsEvent& event) {
  ++count;
  if (const double* number = std::get_if<double>(&event.value)) {
    ++value_count;
    sum += *number;
    min = std::min(min, *number);
    max = std::max(max, *number);
    ++histogram[analytics_histogram_index(*number)];
  } else if (const std::string* text = std::get_if<std::string>(&event.value)) {
    auto it = string_values.find(*text);
    if (it != string_values.end())
      ++it->second;
    else if (string_values.size() < kMaxAnalyticsStringValues)
      string_values.emplace(*text, 1);
    else
      ++other_values;
  }
  if (count_users && !event.user_id.empty() && users.size() < kMaxAnalyticsUsers) users.insert(event.user_id);
}

void AnalyticsAggregate::merge(const AnalyticsAggregate& o) {
  count += o.count;
  value_count += o.value_count;
  sum += o.sum;
  min = std::min(min, o.min);
  max = std::max(max, o.max);
  for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += o.histogram[i];
  for (const auto& [value, n] : o.string_values) {
    auto it = string_values.find(value);
    if (it != string_values.end())
      it->second += n;
    else if (string_values.size() < kMaxAnalyticsStringValues)
      string_values.emplace(value, n);
    else
      other_values += n;
  }
  other_values += o.other_values;
  count_users = count_users || o.count_users;
  stored_users += o.stored_users;
  for (const auto& user : o.users) {
    if (users.size() >= kMaxAnalyticsUsers) break;
    users.insert(user);
  }
}

std::string analytics_aggregate_json(const AnalyticsAggregate& a) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  w.member("bucket_start", core::format_timestamp(std::chrono::system_clock::time_point(
                               std::chrono::milliseconds(a.key.bucket_start_ms))));
  w.member("bucket_seconds", a.bucket_seconds);
  w.member("event_name", a.key.event_name);
  if (!a.key.metric.empty()) w.member("metric", a.key.metric);
  w.key("dimensions").raw(a.key.dimensions_json);
  w.member("count", a.count);
  if (a.value_count > 0) {
    w.member("value_count", a.value_count).member("sum", a.sum).member("min", a.min).member("max", a.max);
    w.key("histogram").begin_array();
    for (auto n : a.histogram) w.value(n);
    w.end_array();
  }
  if (!a.string_values.empty() || a.other_values > 0) {
    w.key("values").begin_object();
    for (const auto& [value, n] : a.string_values) w.member(value, n);
    w.end_object();
    if (a.other_values > 0) w.member("other_values", a.other_values);
  }
  if (a.count_users) w.member("distinct_users", a.distinct_users());
  w.end_object();
  return out;
}

}  // namespace qsip::server
