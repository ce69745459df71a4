// The message stream's SQLite backend (docs/messaging.md "Storage").
#include "store/sqlite/sqlite_message_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>

using namespace qsip::store;
namespace fs = std::filesystem;

namespace {

class MessageStoreTest : public ::testing::Test {
 protected:
  MessageStoreTest()
      : dir_(fs::temp_directory_path() / ("qsip-msgstore-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::create_directories(dir_);
    {
      SqliteDatabase db(path(), SyncPolicy::kNormal);
      apply_migrations(db, "messages", message_migrations());
    }
    writer_ = std::make_unique<GroupCommitWriter>(path(), GroupCommitWriter::Options{SyncPolicy::kNormal});
    reader_ = std::make_unique<SqliteDatabase>(path(), SyncPolicy::kNormal);
    store_ = std::make_unique<SqliteMessageStore>(*reader_, *writer_);
  }
  ~MessageStoreTest() override {
    store_.reset();
    reader_.reset();
    writer_.reset();
    fs::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "qsip.db").string(); }

  static StoredEvent message(const std::string& from, const std::string& device, const std::string& id,
                             const std::string& to, const std::string& text = "hi") {
    StoredEvent e;
    e.kind = "MESSAGE";
    e.sender_user = from;
    e.sender_device = device;
    e.message_id = id;
    e.to_user = to;
    e.created_at_ms = 1000;
    e.envelope = R"({"type":"MESSAGE","timestamp":"2025-06-01T00:00:00Z","payload":{"message_type":"text","content":")" +
                 text + R"("}})";
    e.search_text = text;
    return e;
  }
  AppendOutcome append(StoredEvent e, MessageChange change = {}) {
    std::promise<AppendOutcome> done;
    auto f = done.get_future();
    EXPECT_TRUE(store_->append(std::move(e), std::move(change), [&](const AppendOutcome& o) { done.set_value(o); }));
    return f.get();
  }

  fs::path dir_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<SqliteDatabase> reader_;
  std::unique_ptr<SqliteMessageStore> store_;
};

}  // namespace

TEST_F(MessageStoreTest, AppendsInOrderAndDeduplicatesBySenderAndId) {
  auto first = append(message("alice", "a1", "m1", "bob"));
  ASSERT_TRUE(first.stored);
  EXPECT_FALSE(first.duplicate);
  auto second = append(message("alice", "a1", "m2", "bob"));
  EXPECT_GT(second.seq, first.seq);
  auto again = append(message("alice", "a1", "m1", "bob", "changed"));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.seq, first.seq);
  // Another sender may use the same id.
  EXPECT_FALSE(append(message("carol", "c1", "m1", "bob")).duplicate);
  EXPECT_EQ(store_->find("alice", "m1")->search_text, "hi");
  EXPECT_EQ(store_->find_messages("m1").size(), 2u);
}

TEST_F(MessageStoreTest, PendingIsWhatADeviceHasNotGotExceptWhatItSent) {
  append(message("alice", "a1", "m1", "bob"));
  append(message("bob", "b1", "m2", "alice"));
  append(message("bob", "b2", "m3", "alice"));
  append(message("carol", "c1", "m4", "dave"));
  auto ids = [&](const std::string& user, const std::string& device, std::int64_t after) {
    std::vector<std::string> out;
    for (auto& e : store_->pending({user, device}, {}, after, 100)) out.push_back(e.message_id);
    return out;
  };
  EXPECT_EQ(ids("bob", "b1", 0), (std::vector<std::string>{"m1", "m3"}));  // not m2: b1 sent it
  EXPECT_EQ(ids("alice", "a1", 0), (std::vector<std::string>{"m2", "m3"}));
  auto first = store_->find("alice", "m1")->seq;
  EXPECT_EQ(ids("bob", "b2", first), (std::vector<std::string>{"m2"}));
  EXPECT_EQ(store_->pending({"bob", "b1"}, {}, 0, 1).size(), 1u);
}

TEST_F(MessageStoreTest, ANewDeviceStartsAtTheUsersFurthestCursor) {
  EXPECT_EQ(store_->cursor({"bob", "b1"}), 0);
  writer_->flush();
  ASSERT_TRUE(store_->advance_cursor({"bob", "b1"}, 7));
  ASSERT_TRUE(store_->advance_cursor({"bob", "b1"}, 5));  // never back
  writer_->flush();
  EXPECT_EQ(store_->cursor({"bob", "b1"}), 7);
  EXPECT_EQ(store_->cursor({"bob", "b-new"}), 7);
  EXPECT_EQ(store_->cursor({"erin", "e1"}), 0);
}

TEST_F(MessageStoreTest, EditsKeepHistoryDeletesRemoveContentReactionsAggregate) {
  auto m = append(message("alice", "a1", "m1", "bob", "draft"));
  MessageChange edit;
  edit.kind = MessageChange::Kind::kEdit;
  edit.target_seq = m.seq;
  edit.new_payload = R"({"message_type":"text","content":"final"})";
  edit.new_search_text = "final";
  auto e = message("alice", "a1", "e1", "bob");
  e.kind = "MESSAGE_ACTION";
  ASSERT_TRUE(append(e, edit).stored);
  auto now = store_->now(m.seq);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->current_payload, edit.new_payload);
  EXPECT_EQ(now->edit_count, 1);
  EXPECT_EQ(now->event.search_text, "final");

  MessageChange like;
  like.kind = MessageChange::Kind::kReactionAdd;
  like.target_seq = m.seq;
  like.user_id = "bob";
  like.reaction = "+1";
  auto r = message("bob", "b1", "r1", "alice");
  r.kind = "REACTION";
  EXPECT_FALSE(append(r, like).unchanged);
  r.message_id = "r2";
  EXPECT_TRUE(append(r, like).unchanged);  // already there: no event
  EXPECT_FALSE(store_->find("bob", "r2"));
  ASSERT_EQ(store_->now(m.seq)->reactions.size(), 1u);

  MessageChange del;
  del.kind = MessageChange::Kind::kDelete;
  del.target_seq = m.seq;
  auto d = message("alice", "a1", "d1", "bob");
  d.kind = "MESSAGE_ACTION";
  append(d, del);
  now = store_->now(m.seq);
  EXPECT_TRUE(now->deleted);
  EXPECT_EQ(now->edit_count, 0);
  EXPECT_TRUE(now->reactions.empty());
  EXPECT_EQ(now->event.envelope.find("draft"), std::string::npos);
  EXPECT_EQ(now->event.search_text, "");
  // A deleted message is not sent to devices that missed it.
  for (auto& p : store_->pending({"bob", "b9"}, {}, 0, 100)) EXPECT_NE(p.message_id, "m1");
}

TEST_F(MessageStoreTest, HistoryPagesBackwardsAndForwards) {
  for (int i = 0; i < 5; ++i) append(message("alice", "a1", "m" + std::to_string(i), "bob"));
  append(message("carol", "c1", "x", "bob"));
  HistoryQuery q;
  q.user_id = "bob";
  q.with_user = "alice";
  q.newest_first = true;
  q.limit = 2;
  auto page = store_->history(q);
  ASSERT_EQ(page.size(), 3u);  // limit + 1: there is more
  EXPECT_EQ(page.back().event.message_id, "m4");
  q.newest_first = false;
  q.after_seq = page.back().event.seq;
  EXPECT_TRUE(store_->history(q).empty());
  q.user_id = "dave";  // not a party
  q.after_seq = 0;
  EXPECT_TRUE(store_->history(q).empty());
}

TEST_F(MessageStoreTest, ScheduledMessagesWaitThenEnterTheStreamWithAFreshSeq) {
  auto early = append(message("alice", "a1", "now", "bob"));
  auto held = message("alice", "a1", "later", "bob");
  held.deliver_at_ms = 5000;
  std::promise<AppendOutcome> scheduled;
  ASSERT_TRUE(store_->schedule(held, [&](const AppendOutcome& o) { scheduled.set_value(o); }));
  EXPECT_FALSE(scheduled.get_future().get().duplicate);
  EXPECT_EQ(store_->next_timer_ms(), 5000);
  EXPECT_TRUE(store_->due_scheduled(4999, 10).empty());
  // A resend without its schedule_time while held is not delivered now.
  EXPECT_TRUE(append(message("alice", "a1", "later", "bob")).duplicate);
  auto late = append(message("alice", "a1", "after", "bob"));
  ASSERT_EQ(store_->due_scheduled(5000, 10).size(), 1u);
  std::promise<AppendOutcome> released;
  store_->release("alice", "later", [&](const AppendOutcome& o) { released.set_value(o); });
  auto r = released.get_future().get();
  EXPECT_GT(r.seq, late.seq);
  EXPECT_GT(r.seq, early.seq);
  EXPECT_TRUE(store_->due_scheduled(99999, 10).empty());
  EXPECT_FALSE(store_->next_timer_ms());
}

TEST_F(MessageStoreTest, AnEphemeralMessageExpiresAfterItsFirstDelivery) {
  auto m = message("alice", "a1", "m", "bob");
  m.ephemeral_ttl_s = 10;
  append(m);
  EXPECT_FALSE(store_->next_timer_ms());  // not delivered yet: no clock
  store_->raise_state("alice", "m", MessageState::kDeliveredToClient, 1'000'000);
  writer_->flush();
  EXPECT_EQ(store_->next_timer_ms(), 1'010'000);
  EXPECT_TRUE(store_->due_expiries(1'009'999, 10).empty());
  ASSERT_EQ(store_->due_expiries(1'010'000, 10).size(), 1u);
  store_->raise_state("alice", "m", MessageState::kRead, 2'000'000);  // a later state does not restart it
  writer_->flush();
  EXPECT_EQ(store_->next_timer_ms(), 1'010'000);
}
