// The SEARCH handler on a session without a network: the answer's shape
// (a SEARCH from the server, wire profile 4), refusals, and answers that
// stay within one frame however large the stored messages are.
#include "server/search/search_handler.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <ctime>
#include <memory>
#include <set>

#include "../recording_outbound.hpp"
#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/message_validator.hpp"
#include "core/wire_limits.hpp"
#include "search_fixture.hpp"
#include "server/dispatch/client_session.hpp"

using namespace qsip;
using namespace qsip::server;
using qsip::server::testing::FakeContacts;
using qsip::server::testing::FakeMembership;
using qsip::server::testing::RecordingOutbound;
using qsip::server::testing::SearchDb;

namespace {

constexpr std::int64_t kStream = 4;

class SearchHandlerTest : public ::testing::Test {
 protected:
  SearchHandlerTest() {
    context.reader = &db.db();
    session = std::make_unique<ClientSession>(context, out, 7);
    session->set_registered("u-bob", "b1", std::time(nullptr) + 3600);
  }

  // Sends a SEARCH from u-bob/b1 and returns what the server answered.
  const std::string& ask(const std::string& payload, const std::string& message_id = "m-q") {
    core::EnvelopeFields f;
    f.message_id = message_id;
    f.timestamp = "2025-06-01T00:43:25Z";
    f.type = "SEARCH";
    f.from_user_id = "u-bob";
    f.from_device_id = "b1";
    request_json = core::build_envelope(f, payload);
    auto view = request_validator.validate(request_json);
    EXPECT_TRUE(view) << view.failure().detail;
    const std::string frame = core::encode_frame(request_json);
    Request request{*session, kStream, view.value(), frame, false};
    const auto before = out.sent.size();
    handler.handle(request);
    EXPECT_EQ(out.sent.size(), before + 1) << "one answer per request";
    EXPECT_EQ(out.sent.back().stream_id, kStream) << "answered on the request's stream";
    return out.sent.back().json;
  }

  SearchDb db;
  FakeMembership groups;
  FakeContacts contacts;
  WorkerContext context{"qsip-server", "node-1"};
  RecordingOutbound out;
  std::unique_ptr<ClientSession> session;
  SearchHandler handler{groups, contacts, [] { return std::int64_t{1'750'000'000}; }};
  core::MessageValidator request_validator;
  std::string request_json;
  simdjson::dom::parser parser;
};

std::string text(simdjson::dom::element e) {
  std::string_view s;
  return e.get(s) ? std::string() : std::string(s);
}

}  // namespace

TEST_F(SearchHandlerTest, AnswersASearchFromTheServerWithTheResults) {
  db.message("u-alice", "u-bob", "the quick brown fox", {}, "t-9");
  db.message("u-carol", "u-alice", "another fox, not for bob");
  const auto& json = ask(R"({"action":"message","query":"fox"})");
  // A valid SEARCH message, as any client will check it.
  core::MessageValidator answer_validator;
  auto valid = answer_validator.validate(json);
  ASSERT_TRUE(valid) << valid.failure().detail << "\n" << json;
  EXPECT_EQ(valid->type_name, "SEARCH");

  auto answer = parser.parse(json).value();
  EXPECT_EQ(text(answer["from"]["user_id"]), "qsip-server");
  EXPECT_EQ(text(answer["from"]["device_id"]), "node-1");
  EXPECT_EQ(text(answer["to"]["user_id"]), "u-bob");
  EXPECT_EQ(text(answer["to"]["device_id"]), "b1");
  auto payload = answer["payload"];
  EXPECT_EQ(text(payload["target_message_id"]), "m-q");
  EXPECT_EQ(text(payload["action"]), "message");
  EXPECT_EQ(text(payload["query"]), "fox");
  EXPECT_EQ(std::int64_t(payload["limit"]), 20);
  EXPECT_EQ(std::int64_t(payload["offset"]), 0);
  EXPECT_EQ(std::int64_t(payload["total"]), 1);
  EXPECT_TRUE(payload["next_offset"].error()) << "nothing follows";
  simdjson::dom::array results = payload["results"];
  ASSERT_EQ(results.size(), 1u);
  auto hit = results.at(0).value();
  EXPECT_EQ(text(hit["message_id"]), "m-1");
  EXPECT_EQ(text(hit["from"]["user_id"]), "u-alice");
  EXPECT_EQ(text(hit["from"]["device_id"]), "u-alice-phone");
  EXPECT_EQ(text(hit["to"]["user_id"]), "u-bob");
  EXPECT_EQ(text(hit["timestamp"]), "2025-06-01T00:43:25.001Z");
  EXPECT_EQ(text(hit["thread_id"]), "t-9");
  EXPECT_EQ(text(hit["snippet"]), "the quick brown \u00abfox\u00bb");
  EXPECT_EQ(text(hit["payload"]["content"]), "the quick brown fox");
}

TEST_F(SearchHandlerTest, GroupMessagesNameTheGroup) {
  groups.groups["u-bob"] = {"g-1"};
  db.message("u-alice", "", "fox in the group", "g-1");
  auto answer = parser.parse(ask(R"({"action":"message","query":"fox"})")).value();
  auto hit = answer["payload"]["results"].at(0).value();
  EXPECT_EQ(text(hit["to"]["group_id"]), "g-1");
  EXPECT_TRUE(hit["to"]["user_id"].error());
  EXPECT_TRUE(hit["thread_id"].error()) << "no thread, no thread_id";
}

TEST_F(SearchHandlerTest, RefusalsAreErrorsNamingTheField) {
  auto refused = parser.parse(ask(R"({"action":"message","query":"x","limit":500})", "m-bad")).value();
  EXPECT_EQ(text(refused["type"]), "ERROR");
  EXPECT_EQ(std::int64_t(refused["payload"]["code"]), 4001);
  EXPECT_EQ(text(refused["payload"]["detail"]), "payload.limit: must be 1 to 100");
  EXPECT_EQ(text(refused["payload"]["target_message_id"]), "m-bad");
  auto too_long =
      parser.parse(ask(R"({"action":"user","query":")" + std::string(300, 'q') + R"("})", "m-long")).value();
  EXPECT_EQ(text(too_long["payload"]["detail"]), "payload.query: longer than 256 bytes");
}

TEST_F(SearchHandlerTest, PunctuationOnlyIsAnEmptyResultNotAnError) {
  db.message("u-alice", "u-bob", "what?!");
  auto answer = parser.parse(ask(R"x({"action":"message","query":"?! \"*\" ()"})x")).value();
  EXPECT_EQ(text(answer["type"]), "SEARCH");
  EXPECT_EQ(simdjson::dom::array(answer["payload"]["results"]).size(), 0u);
  EXPECT_EQ(std::int64_t(answer["payload"]["total"]), 0);
}

TEST_F(SearchHandlerTest, GroupSearchAnswersAnEmptyResultSetUntilGroupsExist) {
  auto answer = parser.parse(ask(R"({"action":"group","query":"book club"})")).value();
  EXPECT_EQ(text(answer["type"]), "SEARCH");
  EXPECT_EQ(text(answer["payload"]["action"]), "group");
  EXPECT_EQ(simdjson::dom::array(answer["payload"]["results"]).size(), 0u);
  EXPECT_EQ(std::int64_t(answer["payload"]["total"]), 0);
}

TEST_F(SearchHandlerTest, UserSearchListsIdsAndVisibleNames) {
  db.user("u-alan");
  db.profile("u-alan", "Alan Turing");
  db.user("u-hidden");
  db.profile("u-hidden", "Alan Hidden", Visibility::kNobody);
  auto answer = parser.parse(ask(R"({"action":"user","query":"alan"})")).value();
  simdjson::dom::array results = answer["payload"]["results"];
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(text(results.at(0)["user_id"]), "u-alan");
  EXPECT_EQ(text(results.at(0)["display_name"]), "Alan Turing");
}

// Large messages: each page holds what fits in one frame, next_offset says
// where the next starts, and paging with it sees every message once.
TEST_F(SearchHandlerTest, AnswersFitOneFrameAndNextOffsetPagesThroughEverything) {
  std::set<std::string> stored;
  for (int i = 0; i < 8; ++i) {
    db.message("u-alice", "u-bob", "big " + std::string(20000, 'x') + " " + std::to_string(i));
    stored.insert("m-" + std::to_string(i + 1));
  }
  std::set<std::string> seen;
  std::int64_t offset = 0;
  int pages = 0;
  while (true) {
    const auto& json = ask(R"({"action":"message","query":"big","limit":8,"offset":)" + std::to_string(offset) + "}");
    EXPECT_LE(core::encode_frame(json).size(), core::kMaxFrameBytes);
    auto payload = parser.parse(json)["payload"].value();
    EXPECT_EQ(std::int64_t(payload["total"]), 8);
    simdjson::dom::array results = payload["results"];
    EXPECT_GT(results.size(), 0u);
    EXPECT_LT(results.size(), 8u) << "eight 20 kB messages cannot fit one frame";
    for (auto r : results) {
      EXPECT_TRUE(seen.insert(text(r["message_id"])).second) << "repeated";
      EXPECT_FALSE(r["payload"].error()) << "payloads are kept when they fit";
    }
    ++pages;
    std::int64_t next = 0;
    if (payload["next_offset"].get(next)) break;
    EXPECT_EQ(next, offset + static_cast<std::int64_t>(results.size()));
    offset = next;
    ASSERT_LT(pages, 8);
  }
  EXPECT_EQ(seen, stored);
  EXPECT_GT(pages, 1);
}

TEST_F(SearchHandlerTest, AMessageTooLargeToRepeatIsListedWithoutItsPayload) {
  std::string words;
  while (words.size() < 65200) words += " lorem ipsum";  // as large as one frame allows
  db.message("u-alice", "u-bob", "huge" + words);
  const auto& json = ask(R"({"action":"message","query":"huge"})");
  EXPECT_LE(core::encode_frame(json).size(), core::kMaxFrameBytes);
  auto results = simdjson::dom::array(parser.parse(json)["payload"]["results"]);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(text(results.at(0)["message_id"]), "m-1");
  EXPECT_TRUE(results.at(0)["payload"].error());
  EXPECT_NE(text(results.at(0)["snippet"]).find("\u00abhuge\u00bb"), std::string::npos);
}
