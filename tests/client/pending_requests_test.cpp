#include "client/pending_requests.hpp"

#include <gtest/gtest.h>

using qsip::Message;
using qsip::client::PendingRequests;

namespace {
Message answer(std::string_view type, std::string_view target) {
  std::string json = R"({"qsip_version":"1.0","message_id":"a","timestamp":"2025-06-01T00:43:25Z","from":{"user_id":"s","device_id":"n"},"to":{},"type":")";
  json += type;
  json += R"(","payload":{"target_message_id":")";
  json += target;
  json += R"(","status":"ok"}})";
  return *Message::parse(json);
}
}  // namespace

TEST(PendingRequests, ResolvesByTargetMessageId) {
  PendingRequests p;
  auto deadline = PendingRequests::Clock::now() + std::chrono::seconds(10);
  auto f1 = p.add("m1", "MESSAGE", deadline);
  auto f2 = p.add("m2", "SEARCH", deadline);
  EXPECT_FALSE(p.resolve(answer("REACTION", "m1")));  // someone reacting is not the answer
  EXPECT_TRUE(p.resolve(answer("RECEIPT", "m1")));
  EXPECT_TRUE(p.resolve(answer("SEARCH", "m2")));
  EXPECT_FALSE(p.resolve(answer("RECEIPT", "m1")));  // already answered
  EXPECT_EQ(f1.get().type(), "RECEIPT");
  EXPECT_EQ(f2.get().type(), "SEARCH");
  EXPECT_EQ(p.size(), 0u);
}

TEST(PendingRequests, TimesOutWith4081) {
  PendingRequests p;
  auto now = PendingRequests::Clock::now();
  auto f = p.add("m1", "MESSAGE", now + std::chrono::milliseconds(5));
  auto g = p.add("m2", "MESSAGE", now + std::chrono::seconds(60));
  EXPECT_EQ(p.next_deadline(), now + std::chrono::milliseconds(5));
  p.expire(now + std::chrono::milliseconds(10));
  Message m = f.get();
  EXPECT_EQ(m.error_code(), 4081);
  EXPECT_EQ(m.payload_string("reason"), "RequestTimeout");
  EXPECT_EQ(m.payload_string("target_message_id"), "m1");
  EXPECT_EQ(p.size(), 1u);
  p.fail_all(5002, "ServiceUnavailable", "connection lost");
  EXPECT_EQ(g.get().error_code(), 5002);
}
