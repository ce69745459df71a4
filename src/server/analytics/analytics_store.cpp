#include "server/analytics/analytics_store.hpp"

#include <simdjson.h>

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE analytics_aggregates (
        bucket_start INTEGER NOT NULL,     -- Unix milliseconds
        bucket_seconds INTEGER NOT NULL,
        event_name TEXT NOT NULL,
        metric TEXT NOT NULL DEFAULT '',
        dimensions TEXT NOT NULL DEFAULT '{}',  -- canonical JSON object
        count INTEGER NOT NULL,
        value_count INTEGER NOT NULL DEFAULT 0,
        sum REAL NOT NULL DEFAULT 0,
        min REAL,
        max REAL,
        histogram TEXT NOT NULL DEFAULT '[]',   -- counts per kAnalyticsHistogramBounds bucket
        string_values TEXT NOT NULL DEFAULT '{}',
        other_values INTEGER NOT NULL DEFAULT 0,
        distinct_users INTEGER,             -- NULL unless include_user_ids
        PRIMARY KEY (bucket_start, event_name, metric, dimensions)
      );
      CREATE INDEX analytics_by_event ON analytics_aggregates(event_name, bucket_start);
    )sql"},
};

constexpr const char* kColumns =
    "bucket_start, bucket_seconds, event_name, metric, dimensions, count, value_count, sum, min, max, histogram, "
    "string_values, other_values, distinct_users";

AnalyticsAggregate from_row(const store::Statement& q) {
  AnalyticsAggregate a;
  a.key = {q.integer(0), q.text(2), q.text(3), q.text(4)};
  a.bucket_seconds = q.integer(1);
  a.count = q.integer(5);
  a.value_count = q.integer(6);
  a.sum = q.real(7);
  if (!q.is_null(8)) a.min = q.real(8);
  if (!q.is_null(9)) a.max = q.real(9);
  simdjson::dom::parser parser;
  simdjson::dom::array histogram;
  if (!parser.parse(q.text(10)).get(histogram)) {
    std::size_t i = 0;
    for (auto n : histogram) {
      std::int64_t v = 0;
      if (i < a.histogram.size() && !n.get(v)) a.histogram[i] = v;
      ++i;
    }
  }
  simdjson::dom::object values;
  if (!parser.parse(q.text(11)).get(values))
    for (auto field : values) {
      std::int64_t v = 0;
      if (!field.value.get(v)) a.string_values.emplace(std::string(field.key), v);
    }
  a.other_values = q.integer(12);
  a.count_users = !q.is_null(13);
  a.stored_users = a.count_users ? q.integer(13) : 0;
  return a;
}

}  // namespace

std::span<const store::Migration> analytics_migrations() { return kMigrations; }

void write_analytics_aggregates(store::SqliteDatabase& db, const std::vector<AnalyticsAggregate>& aggregates) {
  for (const auto& fresh : aggregates) {
    AnalyticsAggregate merged = fresh;
    auto& existing = db.cached(std::string("SELECT ") + kColumns +
                               " FROM analytics_aggregates WHERE bucket_start = ?1 AND event_name = ?2 AND metric = ?3 "
                               "AND dimensions = ?4");
    existing.bind(1, fresh.key.bucket_start_ms).bind(2, fresh.key.event_name).bind(3, fresh.key.metric)
        .bind(4, fresh.key.dimensions_json);
    if (existing.step()) {
      merged = from_row(existing);
      merged.merge(fresh);
    }
    existing.reset();
    std::string histogram, values;
    core::JsonWriter h(histogram);
    h.begin_array();
    for (auto n : merged.histogram) h.value(n);
    h.end_array();
    core::JsonWriter v(values);
    v.begin_object();
    for (const auto& [value, n] : merged.string_values) v.member(value, n);
    v.end_object();
    auto& put = db.cached(std::string("INSERT OR REPLACE INTO analytics_aggregates(") + kColumns +
                          ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    put.bind(1, merged.key.bucket_start_ms).bind(2, merged.bucket_seconds).bind(3, merged.key.event_name)
        .bind(4, merged.key.metric).bind(5, merged.key.dimensions_json).bind(6, merged.count)
        .bind(7, merged.value_count).bind(8, merged.sum);
    if (merged.value_count > 0) put.bind(9, merged.min).bind(10, merged.max); else put.bind_null(9).bind_null(10);
    put.bind(11, histogram).bind(12, values).bind(13, merged.other_values);
    // Only the number of distinct users is ever written, never who they are.
    if (merged.count_users) put.bind(14, merged.distinct_users()); else put.bind_null(14);
    put.run();
  }
}

std::int64_t prune_analytics_aggregates(store::SqliteDatabase& db, std::int64_t cutoff_ms) {
  db.cached("DELETE FROM analytics_aggregates WHERE bucket_start < ?1").bind(1, cutoff_ms).run();
  return db.changes();
}

bool analytics_matches(const AnalyticsAggregate& a, const AnalyticsFilter& f) {
  if (!f.event_name.empty() && a.key.event_name != f.event_name) return false;
  if (!f.metric.empty() && a.key.metric != f.metric) return false;
  if (f.since_ms && a.key.bucket_start_ms < *f.since_ms) return false;
  if (f.until_ms && a.key.bucket_start_ms >= *f.until_ms) return false;
  if (f.dimensions.empty()) return true;
  simdjson::dom::parser parser;
  simdjson::dom::object dims;
  if (parser.parse(a.key.dimensions_json).get(dims)) return false;
  for (const auto& [key, value] : f.dimensions) {
    simdjson::dom::element member;
    if (dims[key].get(member) || simdjson::minify(member) != value) return false;
  }
  return true;
}

std::vector<AnalyticsAggregate> read_analytics_aggregates(store::SqliteDatabase& db, const AnalyticsFilter& f,
                                                          std::size_t limit) {
  std::vector<AnalyticsAggregate> out;
  auto q = db.prepare(std::string("SELECT ") + kColumns +
                      " FROM analytics_aggregates WHERE (?1 = '' OR event_name = ?1) AND (?2 = '' OR metric = ?2)"
                      " AND (?3 IS NULL OR bucket_start >= ?3) AND (?4 IS NULL OR bucket_start < ?4)"
                      " ORDER BY bucket_start, event_name, metric, dimensions");
  q.bind(1, f.event_name).bind(2, f.metric);
  if (f.since_ms) q.bind(3, *f.since_ms); else q.bind_null(3);
  if (f.until_ms) q.bind(4, *f.until_ms); else q.bind_null(4);
  while (out.size() < limit && q.step()) {
    auto a = from_row(q);
    if (analytics_matches(a, f)) out.push_back(std::move(a));
  }
  q.reset();
  return out;
}

}  // namespace qsip::server
