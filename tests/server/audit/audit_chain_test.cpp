// verify_audit_chain against each kind of damage, and pruning that keeps an
// intact chain verifiable while still catching what is done to the rest.
#include "server/audit/audit_chain.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/audit/audit_query.hpp"
#include "server/audit/audit_store.hpp"

using namespace qsip::server;
using namespace qsip::store;

namespace {
class AuditChainTest : public ::testing::Test {
 protected:
  AuditChainTest()
      : path(std::filesystem::temp_directory_path() /
             ("qsip-audit-chain-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db")),
        db(path.string(), SyncPolicy::kNormal) {
    apply_migrations(db, "audit", audit_migrations());
  }
  ~AuditChainTest() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  }
  // Appends n events, one ms apart from `time`.
  void append(int n, std::int64_t time = 1'000'000) {
    Transaction t(db);
    for (int i = 0; i < n; ++i) {
      AuditEvent e;
      e.event_type = kAuditLoginSuccess;
      e.actor_user_id = "u" + std::to_string(i);
      e.time_ms = time + i;
      e.ip_address = "192.0.2.1";
      append_audit_event(db, e);
    }
    t.commit();
  }
  std::filesystem::path path;
  SqliteDatabase db;
};
}  // namespace

TEST_F(AuditChainTest, AnEmptyAndAnIntactLogPass) {
  auto v = verify_audit_chain(db);
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.message, "ok: 0 records");
  append(5);
  v = verify_audit_chain(db);
  EXPECT_TRUE(v.intact) << v.message;
  EXPECT_EQ(v.records, 5);
  EXPECT_EQ(v.message, "ok: 5 records");
}

TEST_F(AuditChainTest, AChangedRecordIsNamed) {
  append(5);
  db.exec("UPDATE audit_events SET actor_user_id = 'mallory' WHERE id = 3");
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 3);
  EXPECT_EQ(v.damage, "changed");
  EXPECT_NE(v.message.find("record 3"), std::string::npos) << v.message;
}

TEST_F(AuditChainTest, ARecomputedHashBreaksTheNextLink) {
  append(5);
  AuditEvent forged;
  forged.event_type = kAuditLoginSuccess;
  forged.actor_user_id = "mallory";
  forged.time_ms = 1'000'002;
  forged.ip_address = "192.0.2.1";
  auto q = db.prepare("SELECT prev_hash FROM audit_events WHERE id = 3");
  ASSERT_TRUE(q.step());
  std::string prev = q.text(0);
  q.reset();
  db.prepare("UPDATE audit_events SET actor_user_id = 'mallory', hash = ?1 WHERE id = 3")
      .bind(1, audit_row_hash_v2(3, prev, forged))
      .run();
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 4);
  EXPECT_EQ(v.damage, "broken_link");
}

TEST_F(AuditChainTest, ARemovedRecordIsAGap) {
  append(5);
  db.exec("DELETE FROM audit_events WHERE id = 2");
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 2);
  EXPECT_EQ(v.damage, "removed");
}

TEST_F(AuditChainTest, TheLastRecordRemovedIsFoundThroughTheHead) {
  append(5);
  db.exec("DELETE FROM audit_events WHERE id = 5");
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 5);
  EXPECT_EQ(v.damage, "removed");
  // An append after the damage does not heal it: it links to the head.
  append(1, 2'000'000);
  v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 5);
}

TEST_F(AuditChainTest, AnInsertedRecordIsNamed) {
  append(3);
  db.exec("INSERT INTO audit_events(time, event_type, status, hash) VALUES(5, 'login_success', 'success', 'x')");
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 4);
  EXPECT_EQ(v.damage, "inserted");
  // Renumbered into the middle (ids shifted to make room): the ids no longer match the hashes.
  db.exec("DELETE FROM audit_events WHERE id = 4");
  db.exec("UPDATE audit_events SET id = id + 10 WHERE id >= 2");
  db.exec("INSERT INTO audit_events(id, time, event_type, status, hash) VALUES(2, 5, 'login_success', 'success', 'x')");
  v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 2);
}

TEST_F(AuditChainTest, PruningKeepsVerifyPassingAndRecordsItself) {
  append(10, 1'000);          // old
  append(3, 1'000'000'000);  // recent
  std::int64_t deleted = 0;
  {
    Transaction t(db);
    deleted = prune_audit_events(db, 1'000'000);
    t.commit();
  }
  EXPECT_EQ(deleted, 10);
  auto v = verify_audit_chain(db);
  EXPECT_TRUE(v.intact) << v.message;
  EXPECT_EQ(v.records, 4);  // 3 kept and the audit_pruned record
  AuditFilter f;
  f.event_type = kAuditPruned;
  int pruned = 0;
  for_each_audit_event(db, f, [&](const StoredAuditEvent& row) {
    ++pruned;
    EXPECT_NE(row.event.details_json.find(R"("records":10)"), std::string::npos);
    EXPECT_NE(row.event.details_json.find(R"("anchor_id":10)"), std::string::npos);
    return true;
  });
  EXPECT_EQ(pruned, 1);
  // Pruning again with nothing old is a no-op.
  {
    Transaction t(db);
    EXPECT_EQ(prune_audit_events(db, 1'000'000), 0);
    t.commit();
  }
  EXPECT_TRUE(verify_audit_chain(db).intact);
  // What remains is still guarded.
  db.exec("UPDATE audit_events SET status = 'failure' WHERE id = 12");
  v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.bad_id, 12);
  EXPECT_EQ(v.damage, "changed");
}

TEST_F(AuditChainTest, AnAnchorMovedByHandIsFound) {
  append(10, 1'000);
  append(3, 1'000'000'000);
  {
    Transaction t(db);
    prune_audit_events(db, 1'000'000);
    t.commit();
  }
  // The oldest kept record deleted and the anchor moved over it.
  auto q = db.prepare("SELECT hash FROM audit_events WHERE id = 11");
  ASSERT_TRUE(q.step());
  std::string hash = q.text(0);
  q.reset();
  db.exec("DELETE FROM audit_events WHERE id = 11");
  db.prepare("UPDATE audit_chain SET anchor_id = 11, anchor_hash = ?1").bind(1, hash).run();
  auto v = verify_audit_chain(db);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.damage, "anchor");
}

TEST_F(AuditChainTest, PruningEverythingLeavesTheAnchorAtTheHead) {
  append(4, 1'000);
  {
    Transaction t(db);
    EXPECT_EQ(prune_audit_events(db, 1'000'000), 4);
    t.commit();
  }
  auto v = verify_audit_chain(db);
  EXPECT_TRUE(v.intact) << v.message;
  EXPECT_EQ(v.records, 1);
  append(2, 2'000'000);
  EXPECT_TRUE(verify_audit_chain(db).intact);
}

TEST_F(AuditChainTest, QueriesFilterAndPage) {
  {
    Transaction t(db);
    for (int i = 0; i < 6; ++i) {
      AuditEvent e;
      e.event_type = i % 2 ? kAuditFileDownloaded : kAuditLoginSuccess;
      e.actor_user_id = i < 3 ? "alice" : "bob";
      e.target_resource_type = "file";
      e.target_resource_id = "f" + std::to_string(i);
      e.time_ms = 1000 + i * 10;
      append_audit_event(db, e);
    }
    t.commit();
  }
  auto ids = [&](const AuditFilter& f) {
    std::vector<std::int64_t> out;
    for_each_audit_event(db, f, [&](const StoredAuditEvent& r) { out.push_back(r.id); return true; });
    return out;
  };
  AuditFilter f;
  f.actor_user_id = "alice";
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{1, 2, 3}));
  f = {};
  f.event_type = kAuditFileDownloaded;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{2, 4, 6}));
  f = {};
  f.since_ms = 1020;
  f.until_ms = 1040;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{3, 4}));
  f = {};
  f.target_resource_type = "file";
  f.target_resource_id = "f5";
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{6}));
  f = {};
  f.limit = 2;
  f.after_id = 2;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{3, 4}));
}

TEST_F(AuditChainTest, ExportLinesAreJsonWithIdTimestampAndHash) {
  {
    Transaction t(db);
    AuditEvent e;
    e.event_type = kAuditAdminAction;
    e.time_ms = 1'750'000'000'123;
    e.details_json = R"({"command":"user add"})";
    append_audit_event(db, e);
    t.commit();
  }
  AuditFilter f;
  std::string line;
  for_each_audit_event(db, f, [&](const StoredAuditEvent& r) { line = audit_event_json(r); return true; });
  EXPECT_EQ(line.rfind(R"({"id":1,"timestamp":"2025-06-15T15:06:40.123Z","event_type":"admin_action",)", 0), 0u)
      << line;
  EXPECT_NE(line.find(R"("details":{"command":"user add"})"), std::string::npos);
  EXPECT_NE(line.find(R"("hash":")"), std::string::npos);
  // Details that are not an object (edited by hand) stay a JSON string.
  db.exec("UPDATE audit_events SET details = 'oops\"' WHERE id = 1");
  for_each_audit_event(db, f, [&](const StoredAuditEvent& r) { line = audit_event_json(r); return true; });
  EXPECT_NE(line.find(R"("details":"oops\"")"), std::string::npos) << line;
}
