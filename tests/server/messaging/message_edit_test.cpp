// MESSAGE_ACTION edit payloads (draft 5.12) and what search indexes.
#include "server/messaging/message_edit.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/message_validator.hpp"
#include "server/messaging/stored_event.hpp"

using namespace qsip;

namespace {
// A validated MESSAGE_ACTION with `payload`.
struct Action {
  explicit Action(const std::string& payload)
      : json(R"({"qsip_version":"1.0","message_id":"m","timestamp":"2025-06-01T00:00:00Z",)"
             R"("from":{"user_id":"u","device_id":"d"},"to":{"user_id":"v"},"type":"MESSAGE_ACTION","payload":)" +
             payload + "}") {
    auto r = validator.validate(json);
    if (!r.ok()) throw std::runtime_error("not a valid MESSAGE_ACTION: " + json);
    view = r.value();
  }
  std::string json;
  core::MessageValidator validator;
  core::MessageView view;
};
}  // namespace

TEST(MessageEdit, NewContentReplacesContentAndKeepsTheRest) {
  Action a(R"({"action":"edit","target_message_id":"t","new_content":"after"})");
  auto out = server::edited_payload(R"({"message_type":"text","content":"before","priority":"urgent"})", a.view);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"message_type":"text","priority":"urgent","content":"after"})");
}

TEST(MessageEdit, NewPayloadReplacesEverything) {
  Action a(R"({"action":"edit","target_message_id":"t","new_payload":{"message_type":"text","content":"x"}})");
  auto out = server::edited_payload(R"({"message_type":"text","content":"before"})", a.view);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"message_type":"text","content":"x"})");
}

TEST(MessageEdit, NothingToEditIsNothing) {
  Action a(R"({"action":"delete","target_message_id":"t"})");
  EXPECT_FALSE(server::edited_payload(R"({"content":"x"})", a.view));
}

TEST(StoredEvent, FrameBodySkipsTheLengthPrefix) {
  EXPECT_EQ(server::frame_body(std::string("\x02{}", 3)), "{}");
  EXPECT_EQ(server::frame_body(""), "");
}
