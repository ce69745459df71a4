#include "server/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "server/server_metrics.hpp"

namespace qsip::server {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, RendersASmallRegistryExactly) {
  MetricsRegistry r;
  auto& messages = r.counter("qsip_messages_in_total", "Messages received, by type.", {"type"});
  auto& connections = r.gauge("qsip_connections", "Open connections.");
  auto& latency = r.histogram("qsip_latency_seconds", "Latency.", {0.25, 0.5, 1});
  auto& errors = r.counter("qsip_errors_total", "Errors\\by code,\nper code.", {"code"});
  messages.labels({"MESSAGE"}).inc(3);
  messages.labels({"ACK"}).inc();
  connections.get().set(2);
  connections.get().add(0.5);
  // Binary fractions, so that the sum is exact.
  latency.get().observe(0.125);
  latency.get().observe(0.25);  // a bucket's bound is inclusive
  latency.get().observe(0.375);
  latency.get().observe(7);
  errors.labels({"a\"b\\c\nd"}).inc(2);

  EXPECT_EQ(r.render(),
            "# HELP qsip_messages_in_total Messages received, by type.\n"
            "# TYPE qsip_messages_in_total counter\n"
            "qsip_messages_in_total{type=\"ACK\"} 1\n"
            "qsip_messages_in_total{type=\"MESSAGE\"} 3\n"
            "# HELP qsip_connections Open connections.\n"
            "# TYPE qsip_connections gauge\n"
            "qsip_connections 2.5\n"
            "# HELP qsip_latency_seconds Latency.\n"
            "# TYPE qsip_latency_seconds histogram\n"
            "qsip_latency_seconds_bucket{le=\"0.25\"} 2\n"
            "qsip_latency_seconds_bucket{le=\"0.5\"} 3\n"
            "qsip_latency_seconds_bucket{le=\"1\"} 3\n"
            "qsip_latency_seconds_bucket{le=\"+Inf\"} 4\n"
            "qsip_latency_seconds_sum 7.75\n"
            "qsip_latency_seconds_count 4\n"
            "# HELP qsip_errors_total Errors\\\\by code,\\nper code.\n"
            "# TYPE qsip_errors_total counter\n"
            "qsip_errors_total{code=\"a\\\"b\\\\c\\nd\"} 2\n");
}

TEST(Metrics, LabelledHistogramsPutLeLast) {
  MetricsRegistry r;
  auto& h = r.histogram("h_seconds", "H.", {1}, {"type"});
  h.labels({"X"}).observe(2);
  EXPECT_EQ(r.render(),
            "# HELP h_seconds H.\n"
            "# TYPE h_seconds histogram\n"
            "h_seconds_bucket{type=\"X\",le=\"1\"} 0\n"
            "h_seconds_bucket{type=\"X\",le=\"+Inf\"} 1\n"
            "h_seconds_sum{type=\"X\"} 2\n"
            "h_seconds_count{type=\"X\"} 1\n");
}

TEST(Metrics, ALabelledFamilyWithoutChildrenRendersOnlyItsHeader) {
  MetricsRegistry r;
  r.counter("c_total", "C.", {"code"});
  EXPECT_EQ(r.render(), "# HELP c_total C.\n# TYPE c_total counter\n");
}

TEST(Metrics, FormatsValuesAsPrometheusReadsThem) {
  auto fmt = [](double v) {
    std::string s;
    append_metric_value(s, v);
    return s;
  };
  EXPECT_EQ(fmt(0), "0");
  EXPECT_EQ(fmt(1), "1");
  EXPECT_EQ(fmt(-2.5), "-2.5");
  EXPECT_EQ(fmt(0.0005), "0.0005");
  EXPECT_EQ(fmt(0.00025), "0.00025");
  EXPECT_EQ(fmt(1e-05), "1e-05");
  EXPECT_EQ(fmt(1700000000.5), "1700000000.5");
  EXPECT_EQ(fmt(1e20), "1e+20");
  EXPECT_EQ(fmt(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(fmt(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(fmt(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Metrics, ChildrenAreStableAndCountedAcrossThreads) {
  MetricsRegistry r;
  auto& family = r.counter("n_total", "N.", {"t"});
  Counter& a = family.labels({"a"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&family] {
      for (int i = 0; i < 50'000; ++i) family.labels({"a"}).inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(&family.labels({"a"}), &a);
  EXPECT_EQ(a.value(), 200'000U);
}

TEST(Metrics, HistogramCountsEqualTheInfBucket) {
  MetricsRegistry r;
  Histogram& h = r.histogram("h", "H.", {0.25, 0.5}).get();
  for (double v : {0.125, 0.25, 0.375, 0.5, 0.75, 99.25}) h.observe(v);
  auto snap = h.snapshot();
  EXPECT_EQ(snap.cumulative, (std::vector<std::uint64_t>{2, 4, 6}));
  EXPECT_EQ(snap.count, 6U);
  EXPECT_DOUBLE_EQ(snap.sum, 101.25);
}

TEST(Metrics, CollectHooksFillGaugesAtScrapeTimeUntilRemoved) {
  MetricsRegistry r;
  Gauge& g = r.gauge("queue_bytes", "Q.").get();
  int calls = 0;
  auto id = r.add_collect_hook([&] { g.set(++calls * 100); });
  EXPECT_THAT(r.render(), HasSubstr("queue_bytes 100\n"));
  EXPECT_THAT(r.render(), HasSubstr("queue_bytes 200\n"));
  r.remove_collect_hook(id);
  EXPECT_THAT(r.render(), HasSubstr("queue_bytes 200\n"));
  EXPECT_EQ(calls, 2);
}

TEST(Metrics, RegistrationMistakesThrow) {
  MetricsRegistry r;
  r.counter("x_total", "X.");
  EXPECT_THROW(r.counter("x_total", "again"), std::invalid_argument);
  EXPECT_THROW(r.gauge("1bad", "B."), std::invalid_argument);
  EXPECT_THROW(r.gauge("bad-name", "B."), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "G.", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h1", "H.", {}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h2", "H.", {1, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h3", "H.", {2, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h4", "H.", {1}, {"le"}), std::invalid_argument);
  auto& labelled = r.counter("l_total", "L.", {"a", "b"});
  EXPECT_THROW(labelled.labels({"only-one"}), std::invalid_argument);
}

TEST(ServerMetrics, DeclaresEveryFamilyOfTheIssue) {
  MetricsRegistry r;
  ServerMetrics m(r);
  m.messages_in.labels({"MESSAGE"}).inc();
  m.errors.labels({"4001"}).inc();
  m.handshakes.labels({"ok"}).inc();
  m.handshake_duration.observe(0.002);
  std::string text = r.render();
  for (const char* line : {"# TYPE qsip_connections gauge", "# TYPE qsip_connections_accepted_total counter",
                           "# TYPE qsip_handshakes_total counter", "# TYPE qsip_handshake_duration_seconds histogram",
                           "# TYPE qsip_request_duration_seconds histogram", "# TYPE qsip_messages_in_total counter",
                           "# TYPE qsip_messages_out_total counter", "# TYPE qsip_errors_total counter",
                           "# TYPE qsip_bytes_in_total counter", "# TYPE qsip_bytes_out_total counter",
                           "# TYPE qsip_datagrams_in_total counter", "# TYPE qsip_datagrams_out_total counter",
                           "# TYPE qsip_datagrams_dropped_total counter", "# TYPE qsip_send_queue_bytes gauge",
                           "qsip_messages_in_total{type=\"MESSAGE\"} 1", "qsip_errors_total{code=\"4001\"} 1",
                           "qsip_handshakes_total{result=\"ok\"} 1",
                           "qsip_handshake_duration_seconds_bucket{le=\"0.0025\"} 1", "qsip_build_info{version="}) {
    EXPECT_THAT(text, HasSubstr(line));
  }
}

}  // namespace
}  // namespace qsip::server
