// Message search over a real FTS5 index: who may find what (the visibility
// rule, groups included through a fake GroupMembership), ranking, paging,
// and the index following inserts, edits and deletions.
#include "server/search/message_search.hpp"

#include <gtest/gtest.h>

#include <set>

#include "search_fixture.hpp"
#include "server/search/search_migrations.hpp"

using namespace qsip;
using namespace qsip::server;
using qsip::server::testing::FakeMembership;
using qsip::server::testing::SearchDb;

namespace {

std::vector<std::int64_t> seqs(const MessagePage& page) {
  std::vector<std::int64_t> out;
  for (const auto& h : page.hits) out.push_back(h.seq);
  return out;
}

class MessageSearchTest : public ::testing::Test {
 protected:
  MessagePage search(const std::string& searcher, const std::string& query, std::int64_t limit = 20,
                     std::int64_t offset = 0) {
    return search_messages(db.db(), groups, searcher, query, limit, offset);
  }
  SearchDb db;
  FakeMembership groups;
};

}  // namespace

TEST_F(MessageSearchTest, FindsOnlyTheSearchersOwnDirectConversations) {
  auto to_bob = db.message("u-alice", "u-bob", "pineapple for bob");
  auto from_bob = db.message("u-bob", "u-alice", "pineapple back to alice");
  auto carol_alice = db.message("u-carol", "u-alice", "pineapple from carol");
  auto carol_dave = db.message("u-carol", "u-dave", "pineapple for dave");

  auto bob = seqs(search("u-bob", "pineapple"));
  EXPECT_EQ(std::set<std::int64_t>(bob.begin(), bob.end()), (std::set<std::int64_t>{to_bob, from_bob}));
  auto alice = seqs(search("u-alice", "pineapple"));
  EXPECT_EQ(std::set<std::int64_t>(alice.begin(), alice.end()), (std::set<std::int64_t>{to_bob, from_bob, carol_alice}));
  EXPECT_EQ(seqs(search("u-dave", "pineapple")), (std::vector<std::int64_t>{carol_dave}));
  EXPECT_TRUE(search("u-eve", "pineapple").hits.empty());
  EXPECT_EQ(search("u-eve", "pineapple").total, 0);
}

// The rule the groups module will rely on: a group's messages are found by
// its members only, whoever sent them, and never by anyone else, not even
// by someone who wrote there before leaving.
TEST_F(MessageSearchTest, NeverReturnsAMessageOfAGroupTheSearcherIsNotIn) {
  groups.groups["u-bob"] = {"g-mine", "c-channel"};
  groups.groups["u-alice"] = {"g-mine", "g-other"};
  std::set<std::int64_t> mine;
  mine.insert(db.message("u-alice", "", "kiwi in my group", "g-mine"));
  mine.insert(db.message("u-bob", "", "kiwi from bob in my group", "g-mine"));
  mine.insert(db.message("u-alice", "", "kiwi in a channel", "c-channel"));
  db.message("u-alice", "", "kiwi elsewhere", "g-other");
  db.message("u-bob", "", "kiwi bob wrote before leaving", "g-left");
  // A direct message addressed to someone whose id is the group's: no group rule applies.
  db.message("u-alice", "g-other", "kiwi to a user named like a group");

  auto page = search("u-bob", "kiwi");
  std::set<std::int64_t> found;
  for (const auto& hit : page.hits) {
    found.insert(hit.seq);
    const auto member_of = groups.groups["u-bob"];
    if (!hit.to_group.empty())
      EXPECT_NE(std::find(member_of.begin(), member_of.end(), hit.to_group), member_of.end())
          << "a message of " << hit.to_group << ", which u-bob is not in";
    else
      EXPECT_TRUE(hit.to_user == "u-bob" || hit.sender_user == "u-bob");
  }
  EXPECT_EQ(found, mine);
  EXPECT_EQ(page.total, 3);
  // Without membership (the server's NoGroups today): no group message at all.
  NoGroups none;
  EXPECT_TRUE(search_messages(db.db(), none, "u-bob", "kiwi", 20, 0).hits.empty());
}

TEST_F(MessageSearchTest, OnlyMessagesAreSearchedNotActionsOrReactions) {
  db.message("u-alice", "u-bob", "mango edited", {}, {}, "MESSAGE_ACTION");
  db.message("u-alice", "u-bob", "mango", {}, {}, "REACTION");
  auto real = db.message("u-alice", "u-bob", "mango for real");
  EXPECT_EQ(seqs(search("u-bob", "mango")), (std::vector<std::int64_t>{real}));
}

TEST_F(MessageSearchTest, DeletedMessagesAreNotFoundAndEditsAreReindexed) {
  auto blanked = db.message("u-alice", "u-bob", "papaya one");
  auto removed = db.message("u-alice", "u-bob", "papaya two");
  auto edited = db.message("u-alice", "u-bob", "papaya three");
  ASSERT_EQ(search("u-bob", "papaya").total, 3);
  // What the messaging module does on delete: blank the text.
  db.db().prepare("UPDATE messages SET search_text = '' WHERE seq = ?1").bind(1, blanked).run();
  db.db().prepare("DELETE FROM messages WHERE seq = ?1").bind(1, removed).run();
  db.db().prepare("UPDATE messages SET search_text = 'guava three' WHERE seq = ?1").bind(1, edited).run();
  EXPECT_TRUE(search("u-bob", "papaya").hits.empty());
  EXPECT_EQ(seqs(search("u-bob", "guava")), (std::vector<std::int64_t>{edited}));
  // The index agrees with its content table after all of it.
  EXPECT_NO_THROW(db.db().exec("INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)"));
}

// Through the message store's own edit and delete, as MESSAGE_ACTION applies them.
TEST_F(MessageSearchTest, EditedMessagesAreFoundByTheirNewWordsAndDeletedOnesNotAtAll) {
  auto edited = db.message("u-alice", "u-bob", "meet at the old harbour");
  auto deleted = db.message("u-alice", "u-bob", "harbour secrets");
  auto apply = [&](store::MessageChange change) {
    store::StoredEvent action;
    action.kind = "MESSAGE_ACTION";
    action.sender_user = "u-alice";
    action.sender_device = "u-alice-phone";
    action.message_id = "action-" + std::to_string(change.target_seq);
    action.to_user = "u-bob";
    action.created_at_ms = 1748738700000;
    action.envelope = "{}";
    auto outcome = store::SqliteMessageStore::insert_with_change(db.db(), action, change);
    ASSERT_TRUE(outcome.stored) << outcome.error;
  };
  store::MessageChange edit;
  edit.kind = store::MessageChange::Kind::kEdit;
  edit.target_seq = edited;
  edit.new_payload = R"({"message_type":"text","content":"meet at the new marina"})";
  edit.new_search_text = "meet at the new marina";
  apply(edit);
  store::MessageChange removal;
  removal.kind = store::MessageChange::Kind::kDelete;
  removal.target_seq = deleted;
  apply(removal);

  EXPECT_TRUE(search("u-bob", "harbour").hits.empty());
  auto page = search("u-bob", "marina");
  ASSERT_EQ(seqs(page), (std::vector<std::int64_t>{edited}));
  EXPECT_EQ(page.hits[0].payload, edit.new_payload) << "the payload says what the snippet shows";
  EXPECT_EQ(page.hits[0].snippet, "meet at the new \u00abmarina\u00bb");
}

TEST_F(MessageSearchTest, RankedByBm25ThenNewestFirst) {
  auto once = db.message("u-alice", "u-bob", "a lychee among many other words in a rather long sentence here");
  auto thrice = db.message("u-alice", "u-bob", "lychee lychee lychee");
  auto tie_old = db.message("u-alice", "u-bob", "lychee tea");
  auto tie_new = db.message("u-alice", "u-bob", "lychee jam");
  EXPECT_EQ(seqs(search("u-bob", "lychee")), (std::vector<std::int64_t>{thrice, tie_new, tie_old, once}));
}

TEST_F(MessageSearchTest, PagesWithLimitAndOffsetAndCountsEveryMatch) {
  for (int i = 0; i < 5; ++i) db.message("u-alice", "u-bob", "kumquat number " + std::to_string(i));
  db.message("u-carol", "u-alice", "kumquat not for bob");
  auto all = seqs(search("u-bob", "kumquat"));
  ASSERT_EQ(all.size(), 5u);
  std::vector<std::int64_t> paged;
  for (std::int64_t offset : {0, 2, 4}) {
    auto page = search("u-bob", "kumquat", 2, offset);
    EXPECT_EQ(page.total, 5);
    for (auto s : seqs(page)) paged.push_back(s);
  }
  EXPECT_EQ(paged, all);
  auto past = search("u-bob", "kumquat", 2, 6);
  EXPECT_TRUE(past.hits.empty());
  EXPECT_EQ(past.total, 5);  // counted even for a page past the end
}

TEST_F(MessageSearchTest, AllWordsMustMatchAndDiacriticsAndCaseAreIgnored) {
  auto cafe = db.message("u-alice", "u-bob", "Meet at the Café Noir");
  db.message("u-alice", "u-bob", "meet at the bar");
  EXPECT_EQ(seqs(search("u-bob", "cafe meet")), (std::vector<std::int64_t>{cafe}));
  EXPECT_EQ(seqs(search("u-bob", "CAFÉ")), (std::vector<std::int64_t>{cafe}));
  EXPECT_TRUE(search("u-bob", "cafe beach").hits.empty());
}

TEST_F(MessageSearchTest, PunctuationOnlyQueriesFindNothingWithoutFailing) {
  db.message("u-alice", "u-bob", "hello!!! what?");
  for (const char* query : {"!!!", "?", "\"\"", "* ^ :", "()", "。。", "«»"}) {
    MessagePage page;
    EXPECT_NO_THROW(page = search("u-bob", query)) << query;
    EXPECT_TRUE(page.hits.empty()) << query;
  }
}

TEST_F(MessageSearchTest, HitsCarryRoutingThreadSnippetAndEnvelope) {
  auto seq = db.message("u-alice", "u-bob", "the quick brown fox jumps over the lazy dog", {}, "t-1");
  auto page = search("u-bob", "fox");
  ASSERT_EQ(page.hits.size(), 1u);
  const auto& hit = page.hits[0];
  EXPECT_EQ(hit.seq, seq);
  EXPECT_EQ(hit.sender_user, "u-alice");
  EXPECT_EQ(hit.sender_device, "u-alice-phone");
  EXPECT_EQ(hit.to_user, "u-bob");
  EXPECT_EQ(hit.to_group, "");
  EXPECT_EQ(hit.thread_id, "t-1");
  EXPECT_GT(hit.created_at_ms, 0);
  EXPECT_EQ(hit.snippet, "the quick brown \u00abfox\u00bb jumps over the lazy dog");
  EXPECT_EQ(hit.payload, R"({"message_type":"text","content":"the quick brown fox jumps over the lazy dog",)"
                         R"("thread_id":"t-1"})");
}

TEST_F(MessageSearchTest, SnippetsOfOverlongWordsAreCutAtACharacterBoundary) {
  std::string word;
  while (word.size() < 3000) word += "é";  // two bytes each
  db.message("u-alice", "u-bob", "starfruits " + word);  // odd prefix: 512 falls inside an é
  auto page = search("u-bob", "starfruits");
  ASSERT_EQ(page.hits.size(), 1u);
  const auto& snippet = page.hits[0].snippet;
  EXPECT_LE(snippet.size(), kMaxSnippetBytes + kSnippetEllipsis.size());
  EXPECT_EQ(snippet.rfind("\u00abstarfruits\u00bb ", 0), 0u) << snippet;
  EXPECT_EQ(snippet.substr(snippet.size() - kSnippetEllipsis.size()), kSnippetEllipsis);
  // Whole characters only: what precedes the ellipsis ends with a complete é.
  EXPECT_EQ(snippet.substr(snippet.size() - kSnippetEllipsis.size() - 2, 2), "é");
}

TEST(MessageSearchMigration, IndexesTheMessagesStoredBeforeIt) {
  SearchDb db(/*with_search=*/false);
  auto before = db.message("u-alice", "u-bob", "durian before the index");
  db.message("u-alice", "u-bob", "");  // nothing to index
  db.apply_search();
  auto after = db.message("u-alice", "u-bob", "durian after the index");
  NoGroups none;
  auto page = search_messages(db.db(), none, "u-bob", "durian", 20, 0);
  EXPECT_EQ(page.total, 2);
  std::set<std::int64_t> found;
  for (const auto& h : page.hits) found.insert(h.seq);
  EXPECT_EQ(found, (std::set<std::int64_t>{before, after}));
  EXPECT_NO_THROW(db.db().exec("INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)"));
}
