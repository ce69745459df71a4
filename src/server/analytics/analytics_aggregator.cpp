#include "server/analytics/analytics_aggregator.hpp"

namespace qsip::server {

bool AnalyticsAggregator::add(const AnalyticsEvent& event, std::int64_t now_ms) {
  AnalyticsKey key{now_ms - now_ms % bucket_ms_, event.event_name, event.metric, event.dimensions_json};
  std::lock_guard lock(mutex_);
  auto it = open_.find(key);
  if (it == open_.end()) {
    if (open_.size() >= max_keys_) {
      ++dropped_;
      return false;
    }
    AnalyticsAggregate fresh;
    fresh.key = key;
    fresh.bucket_seconds = bucket_ms_ / 1000;
    fresh.count_users = include_user_ids_;
    it = open_.emplace(std::move(key), std::move(fresh)).first;
  }
  it->second.add(event);
  return true;
}

std::vector<AnalyticsAggregate> AnalyticsAggregator::take_closed(std::int64_t now_ms) {
  std::vector<AnalyticsAggregate> out;
  std::lock_guard lock(mutex_);
  for (auto it = open_.begin(); it != open_.end();) {
    if (it->first.bucket_start_ms + bucket_ms_ <= now_ms) {
      out.push_back(std::move(it->second));
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<AnalyticsAggregate> AnalyticsAggregator::take_all() {
  std::vector<AnalyticsAggregate> out;
  std::lock_guard lock(mutex_);
  for (auto& [key, aggregate] : open_) out.push_back(std::move(aggregate));
  open_.clear();
  return out;
}

std::vector<AnalyticsAggregate> AnalyticsAggregator::snapshot() const {
  std::vector<AnalyticsAggregate> out;
  std::lock_guard lock(mutex_);
  for (const auto& [key, aggregate] : open_) out.push_back(aggregate);
  return out;
}

std::uint64_t AnalyticsAggregator::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace qsip::server
