#include "core/envelope_builder.hpp"

#include <gtest/gtest.h>

#include "core/message_validator.hpp"

using namespace qsip::core;

namespace {
EnvelopeFields server_fields() {
  EnvelopeFields f;
  f.message_id = "srv-1";
  f.timestamp = "2025-06-01T00:43:25.000Z";
  f.from_user_id = "qsip-server";
  f.from_device_id = "node-1";
  f.to_user_id = "u-alice";
  f.to_device_id = "d-1";
  return f;
}
}  // namespace

TEST(EnvelopeBuilder, ErrorMessagesAreValidAndCarryCodeReasonDetailAndTarget) {
  Failure failure{ErrorCode::kMalformedPayload, "payload.media_types: required", "m-9", "s-1"};
  std::string json = build_error(failure, server_fields());
  MessageValidator v;
  auto out = v.validate(json);
  ASSERT_TRUE(out) << out.failure().detail << "\n" << json;
  EXPECT_EQ(out->type, MessageType::kError);
  EXPECT_EQ(out->session_id, "s-1");
  EXPECT_EQ(int64_t(out->payload["code"]), 4001);
  EXPECT_EQ(out->payload_string("reason"), "MalformedPayload");
  EXPECT_EQ(out->payload_string("detail"), "payload.media_types: required");
  EXPECT_EQ(out->payload_string("target_message_id"), "m-9");
}

TEST(EnvelopeBuilder, ReceiptsCanCarryExtraResultFields) {
  std::string json = build_receipt(server_fields(), "m-2", "enqueued", R"({"item_id":"i-1","position":5})");
  MessageValidator v;
  auto out = v.validate(json);
  ASSERT_TRUE(out) << out.failure().detail << "\n" << json;
  EXPECT_EQ(out->payload_string("status"), "enqueued");
  EXPECT_EQ(out->payload_string("item_id"), "i-1");
  EXPECT_EQ(int64_t(out->payload["position"]), 5);
}

TEST(EnvelopeBuilder, FormatsTimestampsAsTheWireProfileSays) {
  std::chrono::system_clock::time_point t{std::chrono::milliseconds(1748738605123)};
  EXPECT_EQ(format_timestamp(t), "2025-06-01T00:43:25.123Z");
}
