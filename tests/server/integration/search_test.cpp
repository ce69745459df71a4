// SEARCH end to end (issue 5, draft 5.28; docs/search.md): the real qsipd
// over QUIC with libqsip clients. Messages go through the durable stream
// and its FTS5 index; users through accounts, profiles and their visibility.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/payload_builders.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"

using namespace qsip;
using qsip::test::ChildProcess;
using qsip::test::envelope;
using qsip::test::text_payload;
using qsip::test::qsipd_path;
using qsip::test::RunningQsipd;

namespace {

std::string search_payload(const std::string& action, const std::string& query, int limit = -1, int offset = -1) {
  std::string p;
  core::JsonWriter w(p);
  w.begin_object().member("action", action).member("query", query);
  if (limit >= 0) w.member("limit", limit);
  if (offset >= 0) w.member("offset", offset);
  w.end_object();
  return p;
}

// The results of a SEARCH answer: each result's `key` (a string member, or
// a member of `from` with "from.user_id").
struct Page {
  std::vector<std::string> ids;
  std::vector<std::string> names;  // user search: display_name ("" when not shown)
  std::vector<std::string> senders;
  std::vector<std::string> snippets;
  std::int64_t total = -1;
  std::int64_t next_offset = -1;
};

Page page_of(const Message& answer) {
  Page page;
  auto results = answer.payload_json("results");
  if (!results) return page;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(*results).get(array)) return page;
  for (auto r : array) {
    std::string_view s;
    page.ids.emplace_back(!r["message_id"].get(s) ? s : (!r["user_id"].get(s) ? s : std::string_view{}));
    page.names.emplace_back(!r["display_name"].get(s) ? s : std::string_view{});
    page.senders.emplace_back(!r["from"]["user_id"].get(s) ? s : std::string_view{});
    page.snippets.emplace_back(!r["snippet"].get(s) ? s : std::string_view{});
  }
  page.total = answer.payload_int("total").value_or(-1);
  page.next_offset = answer.payload_int("next_offset").value_or(-1);
  return page;
}

class Search : public qsip::test::SharedServerTest {
 protected:
  // Sends a text message and waits until it is stored (and so indexed).
  static void send_text(Client& c, const std::string& from, const std::string& device, const std::string& to,
                        const std::string& text, const std::string& message_id) {
    auto answer = c.request(envelope("MESSAGE", from, device, text_payload(text), message_id, to)).get();
    ASSERT_EQ(answer.payload_string("status"), "delivered_to_server") << answer.json();
  }
  static Message search(Client& c, const std::string& user, const std::string& device, const std::string& payload,
                        const std::string& message_id = {}) {
    return c.request(envelope("SEARCH", user, device, payload, message_id)).get();
  }
  // `qsipd user ...` on the running server's data directory.
  static void operator_command(std::vector<std::string> args) {
    std::vector<std::string> argv = {qsipd_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--data-dir");
    argv.push_back(server_->data_dir());
    ChildProcess command(argv);
    auto status = command.wait_exit(std::chrono::seconds(20));
    ASSERT_TRUE(status && *status == 0) << command.stderr_text();
  }
};

}  // namespace

TEST_F(Search, FindsTheSearchersOwnConversationsRankedAndNeverOthers) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  auto c = server_->connect_registered(carol, "c1");
  send_text(*a, alice, "a1", bob, "pineapple pineapple pineapple", "m-often-" + bob);
  send_text(*b, bob, "b1", alice, "I had one pineapple today with a long list of other words around it",
            "m-once-" + bob);
  send_text(*a, alice, "a1", bob, "nothing to see here", "m-other-" + bob);
  send_text(*c, carol, "c1", alice, "pineapple pineapple pineapple pineapple, carol's secret", "m-carol-" + bob);

  auto answer = search(*b, bob, "b1", search_payload("message", "pineapple"), "q-" + bob);
  ASSERT_EQ(answer.type(), "SEARCH") << answer.json();
  EXPECT_EQ(answer.from_user_id(), "qsip-server");
  EXPECT_EQ(answer.payload_string("target_message_id"), "q-" + bob);
  EXPECT_EQ(answer.payload_string("action"), "message");
  EXPECT_EQ(answer.payload_string("query"), "pineapple");
  EXPECT_EQ(answer.payload_int("limit"), 20);
  EXPECT_EQ(answer.payload_int("offset"), 0);
  auto page = page_of(answer);
  // Ranked: the message that says it three times before the one that says it once.
  EXPECT_EQ(page.ids, (std::vector<std::string>{"m-often-" + bob, "m-once-" + bob})) << answer.json();
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.senders, (std::vector<std::string>{alice, bob}));
  EXPECT_EQ(page.snippets.at(0), "\u00abpineapple\u00bb \u00abpineapple\u00bb \u00abpineapple\u00bb");

  // Carol's words to alice are alice's to find, never bob's.
  EXPECT_TRUE(page_of(search(*b, bob, "b1", search_payload("message", "secret"))).ids.empty());
  EXPECT_EQ(page_of(search(*a, alice, "a1", search_payload("message", "secret"))).ids,
            (std::vector<std::string>{"m-carol-" + bob}));
  EXPECT_EQ(page_of(search(*a, alice, "a1", search_payload("message", "pineapple"))).total, 3);
}

TEST_F(Search, PagesWithLimitAndOffset) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  for (int i = 0; i < 5; ++i)
    send_text(*a, alice, "a1", bob, "kumquat number " + std::to_string(i), "m-" + std::to_string(i) + "-" + bob);
  auto everything = page_of(search(*b, bob, "b1", search_payload("message", "kumquat")));
  ASSERT_EQ(everything.ids.size(), 5u);

  std::vector<std::string> paged;
  for (int offset : {0, 2, 4}) {
    auto answer = search(*b, bob, "b1", search_payload("message", "kumquat", 2, offset));
    auto page = page_of(answer);
    EXPECT_EQ(page.total, 5);
    EXPECT_EQ(answer.payload_int("limit"), 2);
    EXPECT_EQ(answer.payload_int("offset"), offset);
    EXPECT_EQ(page.next_offset, offset + 2 < 5 ? offset + 2 : -1) << answer.json();
    paged.insert(paged.end(), page.ids.begin(), page.ids.end());
  }
  EXPECT_EQ(paged, everything.ids) << "pages are the ranking cut in pieces";
  EXPECT_TRUE(page_of(search(*b, bob, "b1", search_payload("message", "kumquat", 2, 6))).ids.empty());
}

TEST_F(Search, PunctuationOnlyQueriesFindNothingAndBadRequestsAreRefused) {
  auto bob = id("bob");
  auto b = server_->connect_registered(bob, "b1");
  send_text(*b, bob, "b1", bob, "note to self, or not: what?!", "m-self-" + bob);
  auto punctuation = search(*b, bob, "b1", search_payload("message", "?! \"\" * ( ) :"));
  ASSERT_EQ(punctuation.type(), "SEARCH") << punctuation.json();
  EXPECT_TRUE(page_of(punctuation).ids.empty());
  EXPECT_EQ(page_of(punctuation).total, 0);
  // FTS5 syntax in a query is only words.
  EXPECT_EQ(page_of(search(*b, bob, "b1", search_payload("message", "note OR \"self"))).ids,
            (std::vector<std::string>{"m-self-" + bob}));

  auto no_query = search(*b, bob, "b1", R"({"action":"message"})");
  EXPECT_EQ(no_query.error_code(), 4001);
  EXPECT_EQ(no_query.payload_string("detail"), "payload.query: required");
  auto bad_limit = search(*b, bob, "b1", search_payload("message", "note", 0));
  EXPECT_EQ(bad_limit.error_code(), 4001);
  EXPECT_EQ(bad_limit.payload_string("detail"), "payload.limit: must be 1 to 100");
  auto too_long = search(*b, bob, "b1", search_payload("message", std::string(257, 'n')));
  EXPECT_EQ(too_long.error_code(), 4001);
  EXPECT_EQ(too_long.payload_string("detail"), "payload.query: longer than 256 bytes");
}

TEST_F(Search, FindsUsersByDisplayNameAndIdPrefixAsTheSearcherMaySeeThem) {
  auto alice = id("alice"), quentin = id("quentin"), bob = id("bob"), sam = id("sam");
  auto a = server_->connect_registered(alice, "a1");
  auto q = server_->connect_registered(quentin, "q1");
  auto b = server_->connect_registered(bob, "b1");
  auto set_profile = [](Client& c, const std::string& user, const std::string& device, const std::string& data) {
    auto answer = c.request(envelope("USER_PROFILE", user, device, R"({"action":"set","profile_data":)" + data + "}"))
                      .get();
    ASSERT_EQ(answer.type(), "RECEIPT") << answer.json();
  };
  set_profile(*a, alice, "a1", R"({"display_name":"Zenobia Alpha"})");
  set_profile(*q, quentin, "q1", R"({"display_name":"Zenobia Hidden","visibility":{"basic":"nobody"}})");
  // An account an operator created with a name, then suspended: not listed.
  operator_command({"user", "add", sam, "--display-name", "Zenobia Suspended"});
  operator_command({"user", "suspend", sam});

  auto by_name = page_of(search(*b, bob, "b1", search_payload("user", "zenobia")));
  EXPECT_EQ(by_name.ids, (std::vector<std::string>{alice}));
  EXPECT_EQ(by_name.names, (std::vector<std::string>{"Zenobia Alpha"}));
  // Quentin hid his name: found by id only, and without it.
  auto by_id = page_of(search(*b, bob, "b1", search_payload("user", "quentin-Finds")));
  EXPECT_EQ(by_id.ids, (std::vector<std::string>{quentin}));
  EXPECT_EQ(by_id.names, (std::vector<std::string>{""}));
  // He finds himself by it.
  EXPECT_EQ(page_of(search(*q, quentin, "q1", search_payload("user", "zenobia hidden"))).ids,
            (std::vector<std::string>{quentin}));
  // Case does not matter.
  EXPECT_EQ(page_of(search(*b, bob, "b1", search_payload("user", "ALICE-FINDSUSERS"))).ids,
            (std::vector<std::string>{alice}));
}

TEST_F(Search, AGroupMessageIsFoundByMembersOnlyAndPublicGroupsByName) {
  auto alice = id("alice"), bob = id("bob"), eve = id("eve"), gid = id("g-club");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  auto e = server_->connect_registered(eve, "e1");
  auto group = [&](Client& c, const std::string& user, const std::string& device, const std::string& action) {
    auto r = c.request(envelope("GROUP", user, device,
                                core::builders::GroupPayload().action(action).group_id(gid).name("Zeppelin readers")
                                    .visibility("public").json()))
                 .get();
    ASSERT_EQ(r.type(), "RECEIPT") << r.json();
  };
  group(*a, alice, "a1", "create");
  group(*b, bob, "b1", "join");
  core::EnvelopeFields f;
  const std::string mid = "club-" + alice;
  f.message_id = mid;
  f.timestamp = "2025-06-01T00:00:00Z";
  f.type = "MESSAGE";
  f.from_user_id = alice;
  f.from_device_id = "a1";
  f.to_group_id = gid;
  auto sent = a->request(core::build_envelope(f, text_payload("the zeppelin chapter tonight"))).get();
  ASSERT_EQ(sent.payload_string("status"), "delivered_to_server") << sent.json();
  auto found = page_of(search(*b, bob, "b1", search_payload("message", "zeppelin chapter")));
  EXPECT_EQ(found.ids, (std::vector<std::string>{mid}));
  EXPECT_TRUE(page_of(search(*e, eve, "e1", search_payload("message", "zeppelin chapter"))).ids.empty())
      << "a non-member found a group message";
  // Public groups by name, for anyone.
  auto groups = search(*e, eve, "e1", search_payload("group", "zeppelin"));
  ASSERT_EQ(groups.type(), "SEARCH") << groups.json();
  EXPECT_NE(groups.payload_json("results")->find(gid), std::string::npos) << groups.json();
  EXPECT_EQ(groups.payload_int("total"), 1);
}
