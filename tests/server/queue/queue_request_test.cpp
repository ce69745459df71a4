// QUEUE requests read into QueueRequest: the draft's fields, priorities by
// name and number, the extensions, and 4001 / 4052 naming the field.
#include "server/queue/queue_request.hpp"

#include <gtest/gtest.h>

#include "core/envelope_builder.hpp"
#include "core/message_validator.hpp"
#include "server/queue/queue_payloads.hpp"

namespace qsip::server {
namespace {

using core::ErrorCode;

std::string queue_message(std::string_view payload, std::string_view type = "QUEUE", std::string_view session = {}) {
  core::EnvelopeFields f;
  f.message_id = "m-1";
  f.timestamp = "2025-06-01T00:00:00Z";
  f.type = type;
  f.from_user_id = "u-customer";
  f.from_device_id = "d-1";
  f.session_id = session;
  return core::build_envelope(f, payload);
}

class QueueWire : public ::testing::Test {
 protected:
  core::Outcome<QueueRequest> read(std::string_view payload) {
    json = queue_message(payload);
    auto view = validator.validate(json);
    if (!view) return view.failure();
    return read_queue_request(view.value());
  }
  void expect_valid(std::string_view payload, std::string_view type = "QUEUE", std::string_view session = {}) {
    auto message = queue_message(payload, type, session);
    auto view = validator.validate(message);
    EXPECT_TRUE(view.ok()) << payload << ": " << (view.ok() ? "" : view.failure().detail);
  }
  core::MessageValidator validator;
  std::string json;
};

TEST_F(QueueWire, ReadsTheDraftsEnqueueExample) {
  auto r = read(R"({"action":"enqueue","queue_id":"support","customer_id":"u-customer","priority":"high",
                    "details":{"problem_summary":"Cannot connect to VPN"},"required_skills":["vpn","network","vpn"]})");
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  EXPECT_EQ(r->action, QueueAction::kEnqueue);
  EXPECT_EQ(r->queue_id, "support");
  EXPECT_EQ(r->priority, 100);
  EXPECT_EQ(r->priority_label, "high");
  EXPECT_EQ(r->details_json, R"({"problem_summary":"Cannot connect to VPN"})");
  EXPECT_EQ(r->skills, (std::vector<std::string>{"vpn", "network"}));
}

TEST_F(QueueWire, PrioritiesByNameOrNumberAndNormalByDefault) {
  auto numeric = read(R"({"action":"update_priority","queue_id":"q","item_id":"i","priority":10})");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->priority, 10);
  EXPECT_EQ(numeric->priority_label, "10");
  auto plain = read(R"({"action":"enqueue","queue_id":"q"})");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->priority, 50);
  for (auto bad : {R"("urgent")", "-1", "1001", "2.5"}) {
    auto r = read(std::string(R"({"action":"enqueue","queue_id":"q","priority":)") + bad + "}");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.failure().code, ErrorCode::kMalformedPayload);
    EXPECT_EQ(r.failure().detail.rfind("payload.priority", 0), 0u) << r.failure().detail;
  }
}

TEST_F(QueueWire, RefusesWhatTheServerSendsAndBadFields) {
  auto offer = read(R"({"action":"offer_item","queue_id":"q","item_id":"i"})");
  ASSERT_FALSE(offer.ok());
  EXPECT_EQ(offer.failure().code, ErrorCode::kActionNotSupported);
  auto no_item = read(R"({"action":"agent_accept","queue_id":"q"})");
  ASSERT_FALSE(no_item.ok());
  EXPECT_EQ(no_item.failure().code, ErrorCode::kMalformedPayload);
  EXPECT_NE(no_item.failure().detail.find("item_id"), std::string::npos);
  auto no_queue = read(R"({"action":"enqueue"})");
  ASSERT_FALSE(no_queue.ok());
  EXPECT_NE(no_queue.failure().detail.find("queue_id"), std::string::npos);
  auto skills = read(R"({"action":"enqueue","queue_id":"q","required_skills":["a",""]})");
  ASSERT_FALSE(skills.ok());
  EXPECT_EQ(skills.failure().detail.rfind("payload.required_skills", 0), 0u);
  std::string many = R"({"action":"enqueue","queue_id":"q","required_skills":[)";
  for (int i = 0; i < 17; ++i) many += (i ? ",\"s" : "\"s") + std::to_string(i) + "\"";
  auto too_many = read(many + "]}");
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.failure().detail.find("at most 16"), std::string::npos);
  auto assign = read(R"({"action":"assign_agent","queue_id":"q","item_id":"i"})");
  ASSERT_FALSE(assign.ok());
  EXPECT_NE(assign.failure().detail.find("agent_id"), std::string::npos);
}

TEST_F(QueueWire, ReadsTheAdminExtensions) {
  auto agent = read(R"({"action":"configure_agent","agent_id":"u-a","skills":["vpn"],"capacity":2})");
  ASSERT_TRUE(agent.ok()) << agent.failure().detail;
  EXPECT_EQ(agent->skills, (std::vector<std::string>{"vpn"}));
  EXPECT_EQ(agent->capacity, 2u);
  auto queue = read(R"({"action":"configure_queue","queue_id":"vip","required_skills":["tier2"],"max_size":5,
                        "service_level_seconds":30})");
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(queue->max_size, 5u);
  EXPECT_EQ(queue->service_level_seconds, 30u);
  auto zero = read(R"({"action":"configure_queue","queue_id":"vip","max_size":0})");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.failure().detail.rfind("payload.max_size", 0), 0u);
}

TEST_F(QueueWire, WhatTheModuleSendsIsValid) {
  QueueItem item;
  item.item_id = "qi-1";
  item.queue_id = "support";
  item.customer_id = "u-customer";
  item.agent_id = "u-agent-a";
  item.details_json = R"({"problem_summary":"VPN"})";
  item.required_skills = {"vpn"};
  expect_valid(offer_item_payload(item, 20));
  expect_valid(position_update_payload(item, 3, 240));
  expect_valid(withdrawn_payload(item, "offer_timeout"));
  expect_valid(status_payload("m-1", item, 2, 100));
  expect_valid(agent_connecting_payload(item, "Agent A"), "SESSION", item_session_id(item));
  QueueStats stats;
  stats.queue_id = "support";
  stats.service_level_percent = 75.0;
  expect_valid(queue_stats_payload(stats, "m-1"), "ANALYTICS");
  auto receipt = std::string(R"({"target_message_id":"m-1","status":"enqueued",)") +
                 enqueued_receipt(item, 5, 300).substr(1);
  expect_valid(receipt, "RECEIPT");
}

}  // namespace
}  // namespace qsip::server
