#include "qsip/message.hpp"

#include <gtest/gtest.h>

TEST(Message, ParsesEnvelopeAndPayload) {
  auto m = qsip::Message::parse(
      R"({"qsip_version":"1.0","message_id":"m1","timestamp":"2025-06-01T00:43:25Z","from":{"user_id":"qsip-server","device_id":"node-1"},"to":{},"type":"ERROR","session_id":"s1","payload":{"code":4052,"reason":"ActionNotSupported","x":{"a":[1]},"ok":true}})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type(), "ERROR");
  EXPECT_EQ(m->message_id(), "m1");
  EXPECT_EQ(m->session_id(), "s1");
  EXPECT_EQ(m->from_user_id(), "qsip-server");
  EXPECT_EQ(m->error_code(), 4052);
  EXPECT_EQ(m->payload_string("reason"), "ActionNotSupported");
  EXPECT_EQ(m->payload_json("x"), R"({"a":[1]})");
  EXPECT_EQ(m->payload_bool("ok"), true);
  EXPECT_FALSE(m->payload_string("missing"));
  qsip::Message copy = *m;
  EXPECT_EQ(copy.json(), m->json());
  EXPECT_EQ(copy.type(), "ERROR");
}

TEST(Message, RefusesWhatIsNotAMessage) {
  EXPECT_FALSE(qsip::Message::parse("[]"));
  EXPECT_FALSE(qsip::Message::parse("{\"type\":1,\"payload\":{}}"));
  EXPECT_FALSE(qsip::Message::parse("{\"type\":\"X\"}"));
  EXPECT_FALSE(qsip::Message::parse("{"));
}
