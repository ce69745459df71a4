// TURN REST API credentials (coturn use-auth-secret): username
// "<expiry>:<user>", credential base64(HMAC-SHA1(secret, username)).
#include <gtest/gtest.h>
#include <simdjson.h>

#include "server/auth/turn_credentials.hpp"

using namespace qsip::server;

TEST(TurnCredentials, HmacSha1Base64OfTheUsername) {
  // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?")
  // = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
  EXPECT_EQ(turn_credential("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

TEST(TurnCredentials, ReceiptObject) {
  TurnCredentials turn(TurnSettings{{"turn:127.0.0.1:3478?transport=udp"}, "s3cret", 600});
  auto json = turn.json_for("u-alice", 1'700'000'000);
  simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["username"].get_string()), "1700000600:u-alice");
  EXPECT_EQ(std::string_view(doc["credential"].get_string()), turn_credential("s3cret", "1700000600:u-alice"));
  EXPECT_EQ(int64_t(doc["ttl"].get_int64()), 600);
  EXPECT_EQ(std::string_view(doc["urls"].at(0).get_string()), "turn:127.0.0.1:3478?transport=udp");
}
