#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

using namespace qsip::store;
namespace fs = std::filesystem;

namespace {
struct TempDb {
  TempDb() {
    dir = fs::temp_directory_path() / ("qsip-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir);
  }
  ~TempDb() { fs::remove_all(dir); }
  std::string path() const { return (dir / "qsip.db").string(); }
  fs::path dir;
  static inline int counter = 0;
};

constexpr Migration kNotes[] = {
    {1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)"},
    {2, "ALTER TABLE notes ADD COLUMN author TEXT"},
};

std::int64_t count_notes(const std::string& path) {
  SqliteDatabase db(path, SyncPolicy::kFull);
  auto q = db.prepare("SELECT count(*) FROM notes");
  q.step();
  return q.integer(0);
}
}  // namespace

TEST(Migrations, ApplyOnceInOrder) {
  TempDb t;
  SqliteDatabase db(t.path(), SyncPolicy::kFull);
  EXPECT_EQ(apply_migrations(db, "notes", kNotes), 2);
  EXPECT_EQ(apply_migrations(db, "notes", kNotes), 0);
  db.prepare("INSERT INTO notes(body, author) VALUES('x', 'a')").run();
  auto q = db.prepare("SELECT version FROM schema_versions WHERE module = 'notes'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 2);
}

TEST(Migrations, AFailingMigrationAppliesNothingOfItself) {
  TempDb t;
  SqliteDatabase db(t.path(), SyncPolicy::kFull);
  constexpr Migration bad[] = {{1, "CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER)"}};
  EXPECT_THROW(apply_migrations(db, "bad", bad), StoreError);
  auto q = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'");
  q.step();
  EXPECT_EQ(q.integer(0), 0);
}

TEST(GroupCommitWriter, CommitsManyTasksInFewBatchesAndCompletesEach) {
  TempDb t;
  {
    SqliteDatabase db(t.path(), SyncPolicy::kFull);
    apply_migrations(db, "notes", kNotes);
  }
  std::atomic<int> completed{0};
  std::uint64_t batches = 0;
  {
    GroupCommitWriter writer(t.path(), {});
    for (int i = 0; i < 2000; ++i) {
      ASSERT_TRUE(writer.submit(
          [i](SqliteDatabase& db) { db.prepare("INSERT INTO notes(body) VALUES(?1)").bind(1, "n" + std::to_string(i)).run(); },
          [&completed](std::exception_ptr e) { completed += e ? 0 : 1; }));
    }
    writer.flush();
    EXPECT_EQ(completed.load(), 2000);
    batches = writer.batches_committed();
  }
  EXPECT_LT(batches, 2000u);  // grouped
  EXPECT_EQ(count_notes(t.path()), 2000);
}

TEST(GroupCommitWriter, AFailingTaskDoesNotUndoItsBatch) {
  TempDb t;
  {
    SqliteDatabase db(t.path(), SyncPolicy::kFull);
    apply_migrations(db, "notes", kNotes);
  }
  GroupCommitWriter writer(t.path(), {});
  std::atomic<int> failed{0}, ok{0};
  auto insert = [](std::string body) {
    return [body](SqliteDatabase& db) { db.prepare("INSERT INTO notes(body) VALUES(?1)").bind(1, body).run(); };
  };
  auto count = [&](std::exception_ptr e) { (e ? failed : ok) += 1; };
  writer.submit(insert("a"), count);
  writer.submit(insert("a"), count);  // UNIQUE violation
  writer.submit([](SqliteDatabase&) { throw std::runtime_error("boom"); }, count);
  writer.submit(insert("b"), count);
  writer.flush();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(failed.load(), 2);
  EXPECT_EQ(count_notes(t.path()), 2);
}

TEST(GroupCommitWriter, RunSyncRethrowsAndRefusesWhenFull) {
  TempDb t;
  GroupCommitWriter writer(t.path(), GroupCommitWriter::Options{SyncPolicy::kNormal, 8, std::chrono::microseconds(100), 4});
  EXPECT_THROW(writer.run_sync([](SqliteDatabase& db) { db.exec("SELECT * FROM missing"); }), StoreError);
  writer.run_sync([](SqliteDatabase& db) { db.exec("CREATE TABLE t (x)"); });
}

TEST(GroupCommitWriter, OpeningAnUnwritablePathThrows) {
  EXPECT_THROW(GroupCommitWriter("/proc/no/such/dir/qsip.db", {}), StoreError);
}
