// The queue store: items written as they change and read back in arrival
// order, final ones left out, so that a restart puts every waiting item
// back in its place.
#include "server/queue/queue_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/queue/queue_engine.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server {
namespace {

class QueueStoreTest : public ::testing::Test {
 protected:
  QueueStoreTest()
      : path_(std::filesystem::temp_directory_path() / ("qsip-queue-" + std::to_string(::getpid()) + ".db")) {
    std::filesystem::remove(path_);
    db_ = std::make_unique<store::SqliteDatabase>(path_.string(), store::SyncPolicy::kNormal);
    store::apply_migrations(*db_, "queue", queue_migrations());
  }
  ~QueueStoreTest() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void save_all(QueueEngine& engine) {
    QueueStore store(*db_);
    for (const auto& item : engine.take_changed()) store.save(item);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::SqliteDatabase> db_;
};

QueueItem item(std::string id, std::string customer, std::int64_t priority, std::string label) {
  QueueItem i;
  i.item_id = std::move(id);
  i.queue_id = "support";
  i.customer_id = std::move(customer);
  i.priority = priority;
  i.priority_label = std::move(label);
  i.required_skills = {"vpn", "network"};
  i.details_json = R"({"problem_summary":"VPN"})";
  return i;
}

TEST_F(QueueStoreTest, ARestartedEngineKeepsEveryWaitingItemInItsPlace) {
  QueueEngine before;
  ASSERT_TRUE(before.set_queue({"support", {}, 100, 60}));
  ASSERT_TRUE(before.set_agent({"u-a", {"vpn", "network"}, 1}, 0));
  ASSERT_EQ(before.enqueue(item("i1", "c1", 50, "normal")), EnqueueError::kNone);
  ASSERT_EQ(before.enqueue(item("i2", "c2", 100, "high")), EnqueueError::kNone);
  ASSERT_EQ(before.enqueue(item("i3", "c3", 50, "normal")), EnqueueError::kNone);
  ASSERT_EQ(before.enqueue(item("i4", "c4", 50, "normal")), EnqueueError::kNone);
  before.set_agent_present("u-a", true, 10);
  ASSERT_EQ(before.route(20).size(), 1u);  // i2 offered
  ASSERT_TRUE(before.abandon("i3", 30));   // final: not read back
  save_all(before);

  auto open = QueueStore(*db_).open_items();
  ASSERT_EQ(open.size(), 3u);
  EXPECT_EQ(open[0].item_id, "i1");  // arrival order
  EXPECT_EQ(open[1].state, ItemState::kOffered);
  EXPECT_EQ(open[1].agent_id, "u-a");
  EXPECT_EQ(open[1].required_skills, (std::vector<std::string>{"vpn", "network"}));
  EXPECT_EQ(open[1].details_json, R"({"problem_summary":"VPN"})");
  EXPECT_EQ(open[1].priority_label, "high");

  QueueEngine after;
  ASSERT_TRUE(after.set_queue({"support", {}, 100, 60}));
  for (auto& i : open) after.restore(std::move(i));
  EXPECT_EQ(after.position("i2"), 1u);
  EXPECT_EQ(after.item("i2")->state, ItemState::kPending);  // the offer went with the old process
  EXPECT_EQ(after.position("i1"), 2u);
  EXPECT_EQ(after.position("i4"), 3u);
  save_all(after);  // the returned offer is written back
  auto again = QueueStore(*db_).open_items();
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[1].state, ItemState::kPending);
}

TEST_F(QueueStoreTest, SkillsSurviveAsJson) {
  EXPECT_EQ(skills_json({"a\"b", "c"}), R"(["a\"b","c"])");
  QueueItem i = item("i1", "c1", 50, "normal");
  i.required_skills = {"a\"b"};
  QueueStore(*db_).save(i);
  auto open = QueueStore(*db_).open_items();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].required_skills, (std::vector<std::string>{"a\"b"}));
}

// The calls of an item name their sessions (s-<item>, s-<item>-2 ...): the
// count survives a restart so that no session id is used twice.
TEST_F(QueueStoreTest, CallAttemptsSurvive) {
  QueueItem i = item("i1", "c1", 50, "normal");
  i.state = ItemState::kAssigned;
  i.agent_id = "u-a";
  i.call_attempts = 3;
  QueueStore(*db_).save(i);
  auto open = QueueStore(*db_).open_items();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].call_attempts, 3u);
}

}  // namespace
}  // namespace qsip::server
