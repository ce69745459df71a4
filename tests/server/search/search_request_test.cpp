// Reading a SEARCH request: defaults, the limits qsip sets, and refusals
// naming the field (4001).
#include "server/search/search_request.hpp"

#include <gtest/gtest.h>

#include "core/envelope_builder.hpp"
#include "core/message_validator.hpp"

using namespace qsip;
using namespace qsip::server;

namespace {

std::string search_message(const std::string& payload) {
  core::EnvelopeFields f;
  f.message_id = "m-search";
  f.timestamp = "2025-06-01T00:43:25Z";
  f.type = "SEARCH";
  f.from_user_id = "u-alice";
  f.from_device_id = "d-1";
  return core::build_envelope(f, payload);
}

// The request as the handler would get it (the validator has run first).
class SearchRequestTest : public ::testing::Test {
 protected:
  core::Outcome<SearchRequest> parse(const std::string& payload) {
    json = search_message(payload);
    auto view = validator.validate(json);
    EXPECT_TRUE(view) << view.failure().detail;
    if (!view) return view.failure();
    return parse_search_request(view.value());
  }
  std::string refusal(const std::string& payload) {
    auto r = parse(payload);
    if (r) return "accepted";
    EXPECT_EQ(r.failure().code, core::ErrorCode::kMalformedPayload);
    EXPECT_EQ(r.failure().target_message_id, "m-search");
    return r.failure().detail;
  }
  core::MessageValidator validator;
  std::string json;
};

}  // namespace

TEST_F(SearchRequestTest, DefaultsToTwentyFromTheStart) {
  auto r = parse(R"({"action":"message","query":"hello"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, SearchAction::kMessage);
  EXPECT_EQ(r->query, "hello");
  EXPECT_EQ(r->limit, 20);
  EXPECT_EQ(r->offset, 0);
  auto u = parse(R"({"action":"user","query":"bo","limit":100,"offset":40})");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->action, SearchAction::kUser);
  EXPECT_EQ(u->limit, 100);
  EXPECT_EQ(u->offset, 40);
  auto g = parse(R"({"action":"group","query":"x","limit":5.0,"offset":null})");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->action, SearchAction::kGroup);
  EXPECT_EQ(g->limit, 5);  // an integral number however written
  EXPECT_EQ(g->offset, 0);
}

TEST_F(SearchRequestTest, QueryMustBeThereAndAtMost256Bytes) {
  EXPECT_EQ(refusal(R"({"action":"message","query":""})"), "payload.query: required (empty)");
  EXPECT_EQ(refusal(R"({"action":"message","query":")" + std::string(257, 'a') + R"("})"),
            "payload.query: longer than 256 bytes");
  EXPECT_EQ(refusal(R"({"action":"message","query":")" + std::string(256, 'a') + R"("})"), "accepted");
}

TEST_F(SearchRequestTest, LimitAndOffsetOutOfRangeAreRefused) {
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","limit":0})"), "payload.limit: must be 1 to 100");
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","limit":101})"), "payload.limit: must be 1 to 100");
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","limit":1})"), "accepted");
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","offset":10001})"), "payload.offset: must be 0 to 10000");
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","offset":10000})"), "accepted");
  EXPECT_EQ(refusal(R"({"action":"message","query":"x","limit":18446744073709551615})"),
            "payload.limit: must be 1 to 100");
}

// What the validator refuses before the handler sees it: the same 4001
// naming the field, so a client sees one rule.
TEST_F(SearchRequestTest, TheValidatorRefusesMissingQueriesAndNegativeOrFractionalNumbers) {
  for (const char* payload : {R"({"action":"message"})", R"({"action":"message","query":"x","limit":-1})",
                              R"({"action":"message","query":"x","offset":1.5})",
                              R"({"action":"everything","query":"x"})"}) {
    auto view = validator.validate(search_message(payload));
    ASSERT_FALSE(view) << payload;
    EXPECT_EQ(view.failure().code, core::ErrorCode::kMalformedPayload) << payload;
    EXPECT_EQ(view.failure().detail.rfind("payload.", 0), 0u) << view.failure().detail;
  }
  EXPECT_EQ(validator.validate(search_message(R"({"action":"message"})")).failure().detail, "payload.query: required");
}
