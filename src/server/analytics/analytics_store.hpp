// The `analytics_aggregates` table (module "analytics"): one row per
// (bucket, event_name, metric, dimensions); user ids are never stored,
// only a distinct-user count when [analytics] include_user_ids is on.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "server/analytics/analytics_aggregate.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> analytics_migrations();

// Adds `aggregates` to the table, merged into rows of the same key. In a write transaction.
void write_analytics_aggregates(store::SqliteDatabase& db, const std::vector<AnalyticsAggregate>& aggregates);

// Drops the buckets that started before cutoff_ms. Returns how many rows.
std::int64_t prune_analytics_aggregates(store::SqliteDatabase& db, std::int64_t cutoff_ms);

struct AnalyticsFilter {
  std::string event_name;  // empty: any
  std::string metric;      // empty: any
  std::optional<std::int64_t> since_ms;  // bucket_start >= since
  std::optional<std::int64_t> until_ms;  // bucket_start < until
  // Members the aggregate's dimensions must have, as canonical JSON values.
  std::vector<std::pair<std::string, std::string>> dimensions;
};

bool analytics_matches(const AnalyticsAggregate& aggregate, const AnalyticsFilter& filter);

// Stored aggregates matching `filter`, oldest bucket first, at most `limit`.
std::vector<AnalyticsAggregate> read_analytics_aggregates(store::SqliteDatabase& db, const AnalyticsFilter& filter,
                                                          std::size_t limit);

}  // namespace qsip::server
