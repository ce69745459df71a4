// The answer payload: the request echoed, results while they fit the
// budget, next_offset counting what was sent or skipped.
#include "server/search/search_answer.hpp"

#include <gtest/gtest.h>

using namespace qsip::server;

namespace {
SearchRequest request(std::int64_t limit, std::int64_t offset) {
  SearchRequest r;
  r.action = SearchAction::kUser;
  r.query = "al";
  r.limit = limit;
  r.offset = offset;
  return r;
}
}  // namespace

TEST(SearchAnswer, EchoesTheRequestAndListsTheResults) {
  std::vector<ResultJson> results = {{R"({"user_id":"u-al"})", {}}, {R"({"user_id":"u-alan"})", {}}};
  EXPECT_EQ(search_answer_payload(request(2, 0), "m-1", results, 5, 60000),
            R"({"target_message_id":"m-1","action":"user","query":"al","limit":2,"offset":0,"total":5,)"
            R"("results":[{"user_id":"u-al"},{"user_id":"u-alan"}],"next_offset":2})");
  EXPECT_EQ(search_answer_payload(request(2, 4), "m-1", {{R"({"user_id":"u-z"})", {}}}, 5, 60000),
            R"({"target_message_id":"m-1","action":"user","query":"al","limit":2,"offset":4,"total":5,)"
            R"("results":[{"user_id":"u-z"}]})");
}

TEST(SearchAnswer, StopsAtTheBudgetAndFallsBackToTheSlimFormOnlyForTheFirst) {
  const std::string big(300, 'x');
  std::vector<ResultJson> results = {{"\"" + big + "\"", "\"slim-1\""}, {"\"b\"", {}}, {"\"" + big + "\"", "\"slim-3\""}};
  auto payload = search_answer_payload(request(3, 0), "m-1", results, 3, 250);
  EXPECT_NE(payload.find(R"("results":["slim-1","b"],"next_offset":2})"), std::string::npos) << payload;
}

TEST(SearchAnswer, SkipsAFirstResultThatCannotBeSentAtAll) {
  const std::string big(300, 'x');
  std::vector<ResultJson> results = {{"\"" + big + "\"", {}}, {"\"b\"", {}}};
  auto payload = search_answer_payload(request(2, 0), "m-1", results, 3, 250);
  EXPECT_NE(payload.find(R"("results":["b"],"next_offset":2})"), std::string::npos) << payload;
}
