// The per-connection request limits: bursts, refusals with the wait that
// makes the next message pass, recovery, the byte budget, disconnection of
// a peer that keeps going, and the 4291 ERROR's shape.
#include "server/dispatch/request_rate_limiter.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

using namespace qsip::server;
using namespace std::chrono_literals;
using Action = RequestRateLimiter::Action;

namespace {
const auto t0 = RequestRateLimiter::Clock::time_point{} + 1h;
}

TEST(RequestRateLimiter, AdmitsABurstThenRefusesWithTheWaitThatHelps) {
  RequestLimits limits{10, 5, 1e9, 1e9, 100};
  RequestRateLimiter limiter(limits, t0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.admit(100, t0).action, Action::kAdmit) << i;
  auto refused = limiter.admit(100, t0);
  EXPECT_EQ(refused.action, Action::kRefuse);
  EXPECT_EQ(refused.retry_after, 100ms);  // one message at 10 a second
  EXPECT_EQ(limiter.admit(100, t0 + 99ms).action, Action::kRefuse);
  EXPECT_EQ(limiter.admit(100, t0 + 100ms).action, Action::kAdmit);
  // After a quiet while the whole burst is back, and no more.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.admit(100, t0 + 10s).action, Action::kAdmit) << i;
  EXPECT_EQ(limiter.admit(100, t0 + 10s).action, Action::kRefuse);
}

TEST(RequestRateLimiter, CountsBytes) {
  RequestLimits limits{1000, 1000, 1000, 70'000, 100};
  RequestRateLimiter limiter(limits, t0);
  EXPECT_EQ(limiter.admit(65'540, t0).action, Action::kAdmit);
  auto refused = limiter.admit(10'000, t0);
  EXPECT_EQ(refused.action, Action::kRefuse);
  EXPECT_EQ(refused.retry_after, 5540ms);  // 5,540 missing bytes at 1,000 a second
  EXPECT_EQ(limiter.admit(4'000, t0).action, Action::kAdmit);
}

TEST(RequestRateLimiter, DisconnectsAPeerThatIgnoresRefusals) {
  RequestLimits limits{10, 2, 1e9, 1e9, 3};
  RequestRateLimiter limiter(limits, t0);
  limiter.admit(1, t0);
  limiter.admit(1, t0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.admit(1, t0).action, Action::kRefuse) << i;
  EXPECT_EQ(limiter.admit(1, t0).action, Action::kDisconnect);
}

TEST(RequestRateLimiter, APeerThatWaitsAsToldIsNeverDisconnected) {
  RequestLimits limits{10, 2, 1e9, 1e9, 3};
  RequestRateLimiter limiter(limits, t0);
  auto now = t0;
  int refusals = 0;
  for (int i = 0; i < 1000; ++i) {
    auto v = limiter.admit(1, now);
    ASSERT_NE(v.action, Action::kDisconnect) << i;
    if (v.action == Action::kRefuse) {
      ++refusals;
      now += v.retry_after;
    }
  }
  EXPECT_GT(refusals, 100);
}

TEST(RequestRateLimiter, TheErrorCarriesRetryAfterAndTheTarget) {
  qsip::core::EnvelopeFields f;
  f.message_id = "m-1";
  f.timestamp = "2025-06-01T00:00:00.000Z";
  f.from_user_id = "srv";
  f.from_device_id = "n1";
  f.to_user_id = "alice";
  std::string json = build_too_many_requests(f, "req-7", {}, 250ms);
  simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  auto payload = doc["payload"];
  EXPECT_EQ(std::string_view(doc["type"]), "ERROR");
  EXPECT_EQ(int64_t(payload["code"]), 4291);
  EXPECT_EQ(std::string_view(payload["reason"]), "TooManyRequests");
  EXPECT_EQ(std::string_view(payload["target_message_id"]), "req-7");
  EXPECT_EQ(int64_t(payload["retry_after_ms"]), 250);
}
