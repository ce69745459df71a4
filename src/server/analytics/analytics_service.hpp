// ANALYTICS (draft 5.19, docs/analytics.md): client events are validated,
// rate-limited per connection (4291 with retry_after_ms), aggregated in
// memory and flushed to the store on a timer and at shutdown; server
// administrators query aggregates with the extension action "query" (draft
// 10.2), others get 4014.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "server/analytics/analytics_aggregator.hpp"
#include "server/dispatch/periodic_thread.hpp"
#include "server/dispatch/handler.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/dispatch/token_bucket.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

struct AnalyticsSettings {
  std::int64_t bucket_seconds = 60;
  std::uint32_t retention_days = 90;  // 0: kept forever
  bool include_user_ids = false;
  double events_per_second = 10;
  double events_burst = 50;
  std::vector<std::string> server_admins;
};

// At most this many aggregates in one answer (and never beyond the frame limit).
inline constexpr std::size_t kMaxAnalyticsQueryAggregates = 500;

class AnalyticsService : public Handler, public SessionObserver {
 public:
  AnalyticsService(AnalyticsSettings settings, store::GroupCommitWriter& writer);
  ~AnalyticsService() override { stop(); }

  // The flush timer (every bucket, and the retention daily).
  void start();
  // Stops the timer and hands everything still in memory to the writer.
  void stop();

  void handle(Request& request) override;
  void on_unregistered(ClientSession& session) override;

  AnalyticsAggregator& aggregator() { return aggregator_; }
  // One flush of the closed buckets (and, once a day, the retention); for the timer and tests.
  void flush(std::int64_t now_ms, bool everything = false);

 private:
  void record(Request& request);
  void query(Request& request);
  // The connection's bucket; false (and `retry_after_ms` set) when empty.
  bool admit(std::uint64_t connection_id, std::int64_t& retry_after_ms);

  AnalyticsSettings settings_;
  store::GroupCommitWriter& writer_;
  AnalyticsAggregator aggregator_;
  std::mutex buckets_mutex_;
  std::map<std::uint64_t, TokenBucket> buckets_;  // per connection; removed when it closes
  std::int64_t last_prune_ms_ = 0;
  PeriodicThread thread_;
  bool stopped_ = false;
};

}  // namespace qsip::server
