// ANALYTICS end to end (draft 5.19, docs/analytics.md): clients' events over
// QUIC aggregated by key and queried by a server administrator (others
// 4014), refusals naming the field, the per-connection limit answering 4291
// with retry_after_ms, and aggregates surviving a restart in the store.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <future>
#include <string>
#include <vector>

#include "qsip/client.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::RunningQsipd;

namespace {

Message analytics(Client& c, const std::string& user, const std::string& payload) {
  return c.request(envelope("ANALYTICS", user, "d1", payload)).get();
}

std::string call_ended(int seconds, const std::string& type) {
  return R"({"event_name":"call_ended","metric":"call_duration_seconds","value":)" + std::to_string(seconds) +
         R"(,"dimensions":{"network_type":"wifi","call_type":")" + type + R"("}})";
}

}  // namespace

TEST(AnalyticsEndToEnd, EventsAreAggregatedAndQueriedByAdminsOnly) {
  RunningQsipd server({}, "[auth]\nserver_admins = [\"u-root\"]\n"
                          "[analytics]\nbucket_seconds = 3600\nevents_per_second = 1\nevents_burst = 20\n");
  auto bob = server.connect_registered("u-bob", "d1");
  auto carol = server.connect_registered("u-carol", "d1");
  auto root = server.connect_registered("u-root", "d1");

  ASSERT_EQ(analytics(*bob, "u-bob", call_ended(753, "p2p_video")).payload_string("status"), "ok");
  ASSERT_EQ(analytics(*carol, "u-carol", call_ended(120, "p2p_video")).payload_string("status"), "ok");
  // The same dimensions in another order: the same aggregate.
  ASSERT_EQ(analytics(*carol, "u-carol",
                      R"({"event_name":"call_ended","metric":"call_duration_seconds","value":30,)"
                      R"("dimensions":{"call_type":"p2p_video","network_type":"wifi"}})")
                .payload_string("status"),
            "ok");
  ASSERT_EQ(analytics(*bob, "u-bob", call_ended(5, "audio")).payload_string("status"), "ok");
  ASSERT_EQ(analytics(*bob, "u-bob", R"({"event_name":"app_opened","value":"android"})").payload_string("status"), "ok");

  // Refusals name the field.
  auto bad = analytics(*bob, "u-bob", R"({"event_name":"x","dimensions":{"k":{"nested":1}}})");
  EXPECT_EQ(bad.error_code(), 4001);
  EXPECT_NE(bad.payload_string("detail")->find("payload.dimensions.k"), std::string::npos) << bad.json();
  auto missing = analytics(*bob, "u-bob", R"({"value":1})");
  EXPECT_EQ(missing.error_code(), 4001);
  auto huge = analytics(*bob, "u-bob", R"({"event_name":"x","session_details":{"p":")" + std::string(5000, 'p') + "\"}}");
  EXPECT_EQ(huge.error_code(), 4004) << huge.json();

  // Only administrators read aggregates.
  auto refused = analytics(*bob, "u-bob", R"({"action":"query","event_name":"call_ended"})");
  EXPECT_EQ(refused.error_code(), 4014) << refused.json();

  auto answer = analytics(*root, "u-root",
                          R"({"action":"query","event_name":"call_ended","dimensions":{"call_type":"p2p_video"}})");
  ASSERT_EQ(answer.type(), "ANALYTICS") << answer.json();
  EXPECT_EQ(answer.from_user_id(), "qsip-server");
  simdjson::dom::parser parser;
  auto aggregates = parser.parse(*answer.payload_json("aggregates")).get_array();
  ASSERT_EQ(aggregates.size(), 1u) << answer.json();
  auto a = aggregates.at(0);
  EXPECT_EQ(std::int64_t(a["count"]), 3);
  EXPECT_EQ(double(a["sum"]), 903);
  EXPECT_EQ(double(a["min"]), 30);
  EXPECT_EQ(double(a["max"]), 753);
  EXPECT_EQ(std::string_view(a["metric"]), "call_duration_seconds");
  EXPECT_EQ(std::string_view(a["dimensions"]["call_type"]), "p2p_video");
  EXPECT_EQ(a["histogram"].get_array().size(), 17u);
  EXPECT_EQ(answer.json().find("u-bob"), std::string::npos);
  EXPECT_EQ(answer.json().find("u-carol"), std::string::npos);

  auto all = analytics(*root, "u-root", R"({"action":"query"})");
  simdjson::dom::parser p2;
  EXPECT_EQ(p2.parse(*all.payload_json("aggregates")).get_array().size(), 3u) << all.json();
  auto strings = analytics(*root, "u-root", R"({"action":"query","event_name":"app_opened"})");
  EXPECT_NE(strings.json().find(R"("values":{"android":1})"), std::string::npos) << strings.json();
  auto future = analytics(*root, "u-root", R"({"action":"query","since":"2100-01-01T00:00:00Z"})");
  simdjson::dom::parser p3;
  EXPECT_EQ(p3.parse(*future.payload_json("aggregates")).get_array().size(), 0u);

  // The per-connection limit (burst 20, of which bob used 8): beyond it 4291 with retry_after_ms.
  std::vector<std::future<Message>> answers;
  for (int i = 0; i < 20; ++i) answers.push_back(bob->request(envelope("ANALYTICS", "u-bob", "d1", R"({"event_name":"flood"})")));
  int limited = 0;
  for (auto& f : answers) {
    auto m = f.get();
    if (m.error_code() == 4291) {
      ++limited;
      EXPECT_GT(m.payload_int("retry_after_ms").value_or(0), 0) << m.json();
    }
  }
  EXPECT_GT(limited, 0);
  // Another connection has its own bucket.
  EXPECT_EQ(analytics(*carol, "u-carol", R"({"event_name":"flood"})").payload_string("status"), "ok");

  // A clean stop flushes what is open; the restarted server answers from the store.
  bob.reset();
  carol.reset();
  root.reset();
  server.process().send_signal(SIGTERM);
  ASSERT_EQ(server.process().wait_exit(20s), 0);
  server.kill_and_restart();
  auto again = server.connect_registered("u-root", "d1");
  auto stored = analytics(*again, "u-root",
                          R"({"action":"query","event_name":"call_ended","dimensions":{"call_type":"p2p_video"}})");
  simdjson::dom::parser p4;
  auto kept = p4.parse(*stored.payload_json("aggregates")).get_array();
  ASSERT_EQ(kept.size(), 1u) << stored.json();
  EXPECT_EQ(std::int64_t(kept.at(0)["count"]), 3);
}
