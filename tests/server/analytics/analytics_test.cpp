// ANALYTICS: validation of client events, aggregation per bucket and key,
// the store's merge and retention, and queries' filters.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/message_validator.hpp"
#include "server/analytics/analytics_aggregator.hpp"
#include "server/analytics/analytics_event.hpp"
#include "server/analytics/analytics_store.hpp"

using namespace qsip::server;
using namespace qsip;

namespace {

// Validates an ANALYTICS envelope with `payload` and parses its event.
core::Outcome<AnalyticsEvent> parse(const std::string& payload) {
  static core::MessageValidator validator;
  static std::string json;
  json = R"({"qsip_version":"1.0","message_id":"m1","timestamp":"2025-06-01T00:00:00Z",)"
         R"("from":{"user_id":"u-bob","device_id":"d1"},"to":{},"type":"ANALYTICS","payload":)" +
         payload + "}";
  auto view = validator.validate(json);
  if (!view) return view.failure();
  return parse_analytics_event(view.value());
}

AnalyticsEvent event(std::string name, std::variant<std::monostate, double, std::string> value = {},
                     std::string dims = "{}", std::string user = {}) {
  AnalyticsEvent e;
  e.event_name = std::move(name);
  e.value = std::move(value);
  e.dimensions_json = std::move(dims);
  e.user_id = std::move(user);
  return e;
}

}  // namespace

TEST(AnalyticsEvent, ValidEventsAreCanonical) {
  auto e = parse(R"({"event_name":"call_ended","metric":"call_duration_seconds","value":753,)"
                 R"("dimensions":{"network_type":"wifi","call_type":"p2p_video","hd":true,"peers":2}})");
  ASSERT_TRUE(e) << e.failure().detail;
  EXPECT_EQ(e.value().event_name, "call_ended");
  EXPECT_EQ(e.value().metric, "call_duration_seconds");
  EXPECT_EQ(std::get<double>(e.value().value), 753);
  EXPECT_EQ(e.value().dimensions_json, R"({"call_type":"p2p_video","hd":true,"network_type":"wifi","peers":2})");
  EXPECT_EQ(e.value().user_id, "u-bob");
  auto s = parse(R"({"event_name":"login","value":"success"})");
  ASSERT_TRUE(s);
  EXPECT_EQ(std::get<std::string>(s.value().value), "success");
}

TEST(AnalyticsEvent, BadEventsAreRefusedNamingTheField) {
  auto detail = [](const std::string& payload) {
    auto e = parse(payload);
    return e ? std::string("accepted") : std::to_string(static_cast<int>(e.failure().code)) + " " + e.failure().detail;
  };
  EXPECT_EQ(detail(R"({"value":1})").substr(0, 4), "4001");
  EXPECT_NE(detail(R"({"value":1})").find("event_name"), std::string::npos);
  EXPECT_NE(detail(R"({"event_name":""})").find("payload.event_name"), std::string::npos);
  EXPECT_NE(detail(R"({"event_name":")" + std::string(129, 'x') + "\"}").find("payload.event_name"), std::string::npos);
  EXPECT_NE(detail(R"({"event_name":"x","value":{"a":1}})").find("payload.value"), std::string::npos);
  EXPECT_NE(detail(R"({"event_name":"x","value":")" + std::string(65, 'v') + "\"}").find("payload.value"),
            std::string::npos);
  EXPECT_NE(detail(R"({"event_name":"x","dimensions":{"a":[1]}})").find("payload.dimensions.a"), std::string::npos);
  EXPECT_NE(detail(R"({"event_name":"x","dimensions":{"a":")" + std::string(129, 'v') + "\"}}").find("payload.dimensions.a"),
            std::string::npos);
  std::string many = R"({"event_name":"x","dimensions":{)";
  for (int i = 0; i < 17; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  many += "}}";
  EXPECT_NE(detail(many).find("payload.dimensions: more than 16"), std::string::npos);
  EXPECT_EQ(detail(R"({"event_name":"x","session_details":{"pad":")" + std::string(5000, 'p') + "\"}}").substr(0, 4),
            "4004");
}

TEST(AnalyticsAggregate, NumbersSumAndFallIntoTheHistogram) {
  EXPECT_EQ(analytics_histogram_index(0), 0u);
  EXPECT_EQ(analytics_histogram_index(0.5), 1u);
  EXPECT_EQ(analytics_histogram_index(1), 1u);
  EXPECT_EQ(analytics_histogram_index(753), 10u);  // (500, 1000]
  EXPECT_EQ(analytics_histogram_index(1e9), kAnalyticsHistogramBounds.size());
  AnalyticsAggregator aggregator(60, false);
  aggregator.add(event("call_ended", 10.0), 120'000);
  aggregator.add(event("call_ended", 753.0), 150'000);
  aggregator.add(event("call_ended"), 179'999);
  aggregator.add(event("call_ended", 1.0), 180'000);  // the next bucket
  auto open = aggregator.snapshot();
  ASSERT_EQ(open.size(), 2u);
  const auto& a = open[0];
  EXPECT_EQ(a.key.bucket_start_ms, 120'000);
  EXPECT_EQ(a.count, 3);
  EXPECT_EQ(a.value_count, 2);
  EXPECT_EQ(a.sum, 763);
  EXPECT_EQ(a.min, 10);
  EXPECT_EQ(a.max, 753);
  EXPECT_EQ(a.histogram[4], 1);
  EXPECT_EQ(a.histogram[10], 1);
  auto closed = aggregator.take_closed(180'000);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].key.bucket_start_ms, 120'000);
  EXPECT_EQ(aggregator.snapshot().size(), 1u);
  EXPECT_EQ(aggregator.take_all().size(), 1u);
  EXPECT_TRUE(aggregator.snapshot().empty());
}

TEST(AnalyticsAggregate, StringsCountPerValueBoundedAndDimensionsSplitKeys) {
  AnalyticsAggregator aggregator(60, false);
  for (int i = 0; i < 40; ++i) aggregator.add(event("login", std::string("v") + std::to_string(i % 35)), 1000);
  aggregator.add(event("login", std::string("v0"), R"({"platform":"ios"})"), 1000);
  auto open = aggregator.snapshot();
  ASSERT_EQ(open.size(), 2u);
  const auto& plain = open[0].key.dimensions_json == "{}" ? open[0] : open[1];
  EXPECT_EQ(plain.count, 40);
  EXPECT_EQ(plain.string_values.size(), kMaxAnalyticsStringValues);
  EXPECT_EQ(plain.string_values.at("v0"), 2);
  EXPECT_EQ(plain.other_values, 3);  // v32, v33, v34
  EXPECT_EQ(analytics_aggregate_json(plain).find("u-"), std::string::npos);
}

TEST(AnalyticsAggregate, UserIdsAreCountedOnlyWhenConfiguredAndNeverListed) {
  AnalyticsAggregator without(60, false);
  without.add(event("open", {}, "{}", "u-alice"), 1000);
  auto json = analytics_aggregate_json(without.snapshot()[0]);
  EXPECT_EQ(json.find("distinct_users"), std::string::npos);
  AnalyticsAggregator with(60, true);
  for (const char* u : {"u-alice", "u-bob", "u-alice"}) with.add(event("open", {}, "{}", u), 1000);
  json = analytics_aggregate_json(with.snapshot()[0]);
  EXPECT_NE(json.find(R"("distinct_users":2)"), std::string::npos) << json;
  EXPECT_EQ(json.find("u-alice"), std::string::npos);
}

TEST(AnalyticsAggregate, TooManyKeysAreDroppedAndCounted) {
  AnalyticsAggregator aggregator(60, false, 2);
  EXPECT_TRUE(aggregator.add(event("a"), 0));
  EXPECT_TRUE(aggregator.add(event("b"), 0));
  EXPECT_TRUE(aggregator.add(event("a"), 0));
  EXPECT_FALSE(aggregator.add(event("c"), 0));
  EXPECT_EQ(aggregator.dropped(), 1u);
}

TEST(AnalyticsStore, FlushesMergeQueriesFilterAndRetentionDrops) {
  auto path = std::filesystem::temp_directory_path() / ("qsip-analytics-" + std::to_string(::getpid()) + ".db");
  {
    store::SqliteDatabase db(path.string(), store::SyncPolicy::kNormal);
    store::apply_migrations(db, "analytics", analytics_migrations());
    AnalyticsAggregator aggregator(60, true);
    aggregator.add(event("call_ended", 10.0, R"({"call_type":"video"})", "u-a"), 60'000);
    aggregator.add(event("call_ended", 20.0, R"({"call_type":"audio"})", "u-a"), 60'000);
    aggregator.add(event("call_ended", 5.0, R"({"call_type":"video"})", "u-b"), 600'000);
    {
      store::Transaction t(db);
      write_analytics_aggregates(db, aggregator.take_all());
      t.commit();
    }
    // The same bucket again (a restart within it): merged into the row.
    AnalyticsAggregator again(60, true);
    again.add(event("call_ended", 30.0, R"({"call_type":"video"})", "u-c"), 60'000);
    {
      store::Transaction t(db);
      write_analytics_aggregates(db, again.take_all());
      t.commit();
    }
    AnalyticsFilter f;
    f.event_name = "call_ended";
    f.dimensions = {{"call_type", R"("video")"}};
    auto found = read_analytics_aggregates(db, f, 10);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].key.bucket_start_ms, 60'000);
    EXPECT_EQ(found[0].count, 2);
    EXPECT_EQ(found[0].sum, 40);
    EXPECT_EQ(found[0].min, 10);
    EXPECT_EQ(found[0].max, 30);
    EXPECT_EQ(found[0].distinct_users(), 2);
    f.since_ms = 120'000;
    EXPECT_EQ(read_analytics_aggregates(db, f, 10).size(), 1u);
    f = {};
    f.until_ms = 120'000;
    EXPECT_EQ(read_analytics_aggregates(db, f, 10).size(), 2u);  // video and audio of the first bucket
    {
      store::Transaction t(db);
      EXPECT_EQ(prune_analytics_aggregates(db, 120'000), 2);
      t.commit();
    }
    EXPECT_EQ(read_analytics_aggregates(db, AnalyticsFilter{}, 10).size(), 1u);
    // Nothing stored names a user.
    auto q = db.prepare("SELECT count(*) FROM analytics_aggregates WHERE dimensions LIKE '%u-%' OR string_values LIKE '%u-%'");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.integer(0), 0);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
