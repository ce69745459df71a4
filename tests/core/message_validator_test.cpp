#include "core/message_validator.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace qsip::core;

namespace {

std::string envelope(std::string_view type, std::string_view payload, std::string_view extra = {},
                     std::string_view to = R"({"user_id":"u-bob"})") {
  std::string s = R"({"qsip_version":"1.0","message_id":"m-1","timestamp":"2025-06-01T00:43:25Z",)"
                  R"("from":{"user_id":"u-alice","device_id":"d-1"},"to":)";
  s += to;
  s += R"(,"type":")";
  s += type;
  s += "\",";
  if (!extra.empty()) {
    s += extra;
    s += ',';
  }
  s += R"("payload":)";
  s += payload;
  s += '}';
  return s;
}

struct Check {
  bool ok;
  ErrorCode code;
  std::string detail;
  std::string target;
};

Check check(const std::string& json) {
  MessageValidator v;
  auto out = v.validate(json);
  if (out) return {true, ErrorCode::kMalformedPayload, "", ""};
  return {false, out.failure().code, out.failure().detail, out.failure().target_message_id};
}

void expect_fail(const std::string& json, ErrorCode code, std::string_view detail) {
  Check c = check(json);
  EXPECT_FALSE(c.ok) << json;
  EXPECT_EQ(c.code, code) << json;
  EXPECT_EQ(c.detail, detail) << json;
}

}  // namespace

TEST(MessageValidator, AcceptsAMinimalMessageAndExposesItsFields) {
  MessageValidator v;
  std::string json = envelope("MESSAGE", R"({"message_type":"text","content":"hi"})", R"("session_id":null)");
  auto out = v.validate(json);
  ASSERT_TRUE(out) << out.failure().detail;
  EXPECT_EQ(out->type, MessageType::kMessage);
  EXPECT_EQ(out->type_name, "MESSAGE");
  EXPECT_EQ(out->message_id, "m-1");
  EXPECT_EQ(out->from_user_id, "u-alice");
  EXPECT_EQ(out->from_device_id, "d-1");
  EXPECT_EQ(out->to_user_id, "u-bob");
  EXPECT_TRUE(out->session_id.empty());
  EXPECT_EQ(out->payload_string("content"), "hi");
}

TEST(MessageValidator, VersionIsCheckedFirst) {
  expect_fail(R"({"qsip_version":"2.0"})", ErrorCode::kUnsupportedQsipVersion,
              "qsip_version: unsupported version \"2.0\", this server speaks \"1.0\"");
  expect_fail(R"({"type":"MESSAGE"})", ErrorCode::kMalformedPayload, "qsip_version: required");
  expect_fail(R"({"qsip_version":1.0})", ErrorCode::kMalformedPayload, "qsip_version: must be a string");
}

TEST(MessageValidator, UnknownTypesAre4002AndCarryTheMessageId) {
  Check c = check(envelope("message", "{}"));
  EXPECT_EQ(c.code, ErrorCode::kInvalidMessageType);
  EXPECT_EQ(c.target, "m-1");
  EXPECT_EQ(check(envelope("FOO", "{}")).code, ErrorCode::kInvalidMessageType);
  EXPECT_TRUE(check(envelope("com.example.custom_type", R"({"anything":[1,2]})")).ok);
}

TEST(MessageValidator, EnvelopeFieldsAreRequiredAndTyped) {
  expect_fail(R"({"qsip_version":"1.0","type":"PRESENCE","timestamp":"2025-06-01T00:43:25Z","from":{"user_id":"a","device_id":"b"},"to":{},"payload":{"status":"away"}})",
              ErrorCode::kMalformedPayload, "message_id: required");
  expect_fail(envelope("PRESENCE", R"(["status"])"), ErrorCode::kMalformedPayload, "payload: must be an object");
  std::string bad_from = envelope("PRESENCE", R"({"status":"away"})");
  bad_from.replace(bad_from.find(R"(,"device_id":"d-1")"), 18, "");
  expect_fail(bad_from, ErrorCode::kMalformedPayload, "from.device_id: required");
  std::string bad_time = envelope("PRESENCE", R"({"status":"away"})");
  bad_time.replace(bad_time.find("2025-06-01T00:43:25Z"), 20, "yesterday");
  expect_fail(bad_time, ErrorCode::kMalformedPayload, "timestamp: must be an ISO 8601 UTC timestamp ending in Z");
  std::string long_id = envelope("PRESENCE", R"({"status":"away"})");
  long_id.replace(long_id.find("m-1"), 3, std::string(257, 'i'));
  Check c = check(long_id);
  EXPECT_EQ(c.detail, "message_id: must be 1 to 256 bytes");
  EXPECT_EQ(c.target, "");  // an unreadable id cannot be echoed
}

TEST(MessageValidator, SessionTypesNeedSessionId) {
  expect_fail(envelope("END", R"({"reason":"hangup"})"), ErrorCode::kMalformedPayload, "session_id: required for END");
  expect_fail(envelope("END", R"({"reason":"hangup"})", R"("session_id":null)"), ErrorCode::kMalformedPayload,
              "session_id: required for END");
  EXPECT_TRUE(check(envelope("END", R"({"reason":"hangup"})", R"("session_id":"s-1")")).ok);
}

TEST(MessageValidator, InviteNeedsATarget) {
  std::string sid = R"("session_id":"s-1")";
  expect_fail(envelope("INVITE", R"({"media_types":["audio"]})", sid, "{}"), ErrorCode::kMalformedPayload,
              "to: needs one of to.user_id, to.group_id, payload.target_group_id");
  EXPECT_TRUE(check(envelope("INVITE", R"({"media_types":["audio"],"target_group_id":"g"})", sid, "{}")).ok);
  EXPECT_TRUE(check(envelope("INVITE", R"({"media_types":["audio"]})", sid, R"({"group_id":"g"})")).ok);
}

TEST(MessageValidator, NamesTheOffendingPayloadField) {
  std::string sid = R"("session_id":"s-1")";
  expect_fail(envelope("INVITE", "{}", sid), ErrorCode::kMalformedPayload, "payload.media_types: required");
  expect_fail(envelope("INVITE", R"({"media_types":"audio"})", sid), ErrorCode::kMalformedPayload,
              "payload.media_types: must be an array");
  expect_fail(envelope("INVITE", R"({"media_types":["audio",7]})", sid), ErrorCode::kMalformedPayload,
              "payload.media_types[1]: must be a string");
  expect_fail(envelope("PRESENCE", R"({"status":"sleeping"})"), ErrorCode::kMalformedPayload,
              "payload.status: must be one of available, away, busy, dnd, offline");
  expect_fail(envelope("MESSAGE", R"({"message_type":"text","content":"x","mentions":[{"user_id":"u"}]})"),
              ErrorCode::kMalformedPayload, "payload.mentions[0].display_text: required");
}

TEST(MessageValidator, NullMeansAbsent) {
  EXPECT_TRUE(check(envelope("MEDIA_UPDATE", R"({"add_tracks":null,"remove_tracks":null})", R"("session_id":"s")")).ok);
  expect_fail(envelope("PRESENCE", R"({"status":null})"), ErrorCode::kMalformedPayload, "payload.status: required");
}

TEST(MessageValidator, UnknownFieldsAreIgnored) {
  EXPECT_TRUE(check(envelope("PRESENCE", R"({"status":"away","x-mood":{"deep":[1,2,3]}})", R"("x-top":true)")).ok);
}

TEST(MessageValidator, ConditionalRequirements) {
  expect_fail(envelope("GROUP", R"({"action":"update"})"), ErrorCode::kMalformedPayload, "payload.group_id: required");
  EXPECT_TRUE(check(envelope("GROUP", R"({"action":"create","name":"x"})")).ok);
  expect_fail(envelope("POLL", R"({"action":"vote","selected_option_index":0})"), ErrorCode::kMalformedPayload,
              "payload.poll_id: required");
  expect_fail(envelope("POLL", R"({"action":"vote","poll_id":"p","selected_option_index":0.5})"),
              ErrorCode::kMalformedPayload, "payload.selected_option_index: must be an integer");
  expect_fail(envelope("WEBHOOK", R"({"webhook_type":"configure"})"), ErrorCode::kMalformedPayload,
              "payload.action: required");
  EXPECT_TRUE(check(envelope("WEBHOOK", R"({"webhook_type":"incoming","data":{}})")).ok);
  expect_fail(envelope("MESSAGE_ACTION", R"({"action":"edit","target_message_id":"m"})"), ErrorCode::kMalformedPayload,
              "payload.new_content: required (or new_payload)");
  EXPECT_TRUE(check(envelope("MESSAGE_ACTION", R"({"action":"delete","target_message_id":"m"})")).ok);
  expect_fail(envelope("CLIP", R"({"action":"share"})"), ErrorCode::kMalformedPayload, "payload.clip_id: required");
  EXPECT_TRUE(check(envelope("CLIP", R"({"action":"record"})")).ok);
  expect_fail(envelope("MODAL", R"({"action":"open","trigger_id":"t"})"), ErrorCode::kMalformedPayload,
              "payload.view: required");
}

TEST(MessageValidator, MessageContentIsShapedByMessageType) {
  expect_fail(envelope("MESSAGE", R"({"message_type":"text","content":{"x":1}})"), ErrorCode::kMalformedPayload,
              "payload.content: must be a string");
  expect_fail(envelope("MESSAGE", R"({"message_type":"image","content":"pic"})"), ErrorCode::kMalformedPayload,
              "payload.content: must be an object");
  expect_fail(envelope("MESSAGE", R"({"message_type":"location","content":{"latitude":91,"longitude":0}})"),
              ErrorCode::kMalformedPayload, "payload.content.latitude: must be at most 90");
  expect_fail(envelope("MESSAGE", R"({"message_type":"embed","content":{"embed_type":"iframe"}})"),
              ErrorCode::kMalformedPayload, "payload.content.embed_url: required");
  expect_fail(envelope("MESSAGE", R"({"message_type":"text","content":"x"})", {}, "{}"), ErrorCode::kMalformedPayload,
              "to: needs one of to.user_id, to.group_id, to.channel_id");
}

TEST(MessageValidator, KeyExchangeKeysMayStandInSframeParams) {
  std::string sid = R"("session_id":"s")";
  EXPECT_TRUE(check(envelope("KEY_EXCHANGE", R"({"mechanism":"sframe","key_material":"a2V5","key_id":1})", sid)).ok);
  EXPECT_TRUE(check(envelope("KEY_EXCHANGE",
                             R"({"mechanism":"sframe","sframe_params":{"key_material":"a2V5","key_id":"1"}})", sid)).ok);
  expect_fail(envelope("KEY_EXCHANGE", R"({"mechanism":"sframe","sframe_params":{"key_id":"1"}})", sid),
              ErrorCode::kMalformedPayload, "payload.key_material: required (here or in sframe_params)");
}

TEST(MessageValidator, ScheduledMessageMustBeAValidNonScheduleEnvelope) {
  std::string inner = envelope("MESSAGE", R"({"message_type":"text","content":"later"})");
  std::string ok = envelope("SCHEDULE", R"({"action":"create_schedule","schedule_time":"2030-01-01T00:00:00Z","scheduled_message":)" + inner + "}", {}, "{}");
  EXPECT_TRUE(check(ok).ok);
  std::string broken = envelope("MESSAGE", R"({"message_type":"text"})");
  expect_fail(envelope("SCHEDULE", R"({"action":"create_schedule","schedule_time":"2030-01-01T00:00:00Z","scheduled_message":)" + broken + "}", {}, "{}"),
              ErrorCode::kMalformedPayload, "payload.scheduled_message.payload.content: required");
  std::string nested = envelope("SCHEDULE", R"({"action":"get_schedule","schedule_id":"x"})", {}, "{}");
  expect_fail(envelope("SCHEDULE", R"({"action":"create_schedule","schedule_time":"2030-01-01T00:00:00Z","scheduled_message":)" + nested + "}", {}, "{}"),
              ErrorCode::kMalformedPayload, "payload.scheduled_message.type: must not be SCHEDULE");
  std::string future = R"({"qsip_version":"2.0"})";
  expect_fail(envelope("SCHEDULE", R"({"action":"create_schedule","schedule_time":"2030-01-01T00:00:00Z","scheduled_message":)" + future + "}", {}, "{}"),
              ErrorCode::kMalformedPayload,
              "payload.scheduled_message.qsip_version: unsupported version \"2.0\", this server speaks \"1.0\"");
}

TEST(MessageValidator, JsonLevelFailures) {
  expect_fail("[1,2,3]", ErrorCode::kMalformedPayload, "message: must be a JSON object");
  expect_fail("\"text\"", ErrorCode::kMalformedPayload, "message: must be a JSON object");
  EXPECT_EQ(check(R"({"qsip_version":"1.0",)").code, ErrorCode::kMalformedPayload);
  expect_fail(std::string("{\"a\":\"\xff\"}"), ErrorCode::kMalformedPayload, "message: invalid UTF-8");
  std::string deep = "{\"x\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  expect_fail(deep, ErrorCode::kMalformedPayload, "message: JSON nested deeper than 64 levels");
  std::string big = "{\"x\":\"" + std::string(1 << 20, 'a') + "\"}";
  EXPECT_EQ(check(big).code, ErrorCode::kMessageTooLarge);
}

TEST(MessageValidator, ValidatorIsReusable) {
  MessageValidator v;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(v.validate("nope"));
    auto ok = v.validate(envelope("PRESENCE", R"({"status":"dnd"})"));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->payload_string("status"), "dnd");
  }
}

TEST(MessageValidator, PaddedInputIsParsedInPlace) {
  std::string json = envelope("PRESENCE", R"({"status":"away"})");
  std::string padded = json + std::string(simdjson::SIMDJSON_PADDING, '\0');
  MessageValidator v;
  auto out = v.validate(std::string_view(padded.data(), json.size()), true);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->payload_string("status"), "away");
}

TEST(MessageValidator, RepeatedKnownKeysAreRefused) {
  // A relay forwards the bytes: first-key and last-key parsers must not read different messages.
  std::string twice = R"({"qsip_version":"1.0","message_id":"m","timestamp":"2025-06-01T00:43:25Z","timestamp":"2025-06-01T00:43:25Z",)"
                      R"("from":{"user_id":"a","device_id":"d"},"to":{},"type":"PRESENCE","payload":{"status":"away"}})";
  expect_fail(twice, ErrorCode::kMalformedPayload, "timestamp: repeated key");
  std::string from_twice = R"({"qsip_version":"1.0","message_id":"m","timestamp":"2025-06-01T00:43:25Z","from":1,)"
                           R"("from":{"user_id":"a","device_id":"d"},"to":{},"type":"PRESENCE","payload":{"status":"away"}})";
  expect_fail(from_twice, ErrorCode::kMalformedPayload, "from: repeated key");
  std::string payload_twice = R"({"qsip_version":"1.0","message_id":"m","timestamp":"2025-06-01T00:43:25Z",)"
                              R"("from":{"user_id":"a","device_id":"d"},"to":{},"type":"PRESENCE","payload":{"status":"away","status":"dnd"}})";
  expect_fail(payload_twice, ErrorCode::kMalformedPayload, "payload.status: repeated key");
  // Unknown keys are not the validator's business.
  std::string unknown_twice = R"({"qsip_version":"1.0","message_id":"m","timestamp":"2025-06-01T00:43:25Z",)"
                              R"("from":{"user_id":"a","device_id":"d"},"to":{},"type":"PRESENCE","payload":{"status":"away","x":1,"x":2}})";
  EXPECT_TRUE(check(unknown_twice).ok);
}
