// The audit table: rows appended through the writer, linked by their hashes
// (ids included), and every kind of damage found by verify.
#include "server/audit/audit_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/audit/audit_log.hpp"
#include "store/sqlite/group_commit_writer.hpp"

using namespace qsip::server;
using namespace qsip::store;

namespace {
class AuditTest : public ::testing::Test {
 protected:
  AuditTest()
      : path(std::filesystem::temp_directory_path() /
             ("qsip-audit-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db")),
        db(path.string(), SyncPolicy::kNormal) {
    apply_migrations(db, "audit", audit_migrations());
  }
  ~AuditTest() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  }
  std::filesystem::path path;
  SqliteDatabase db;
};
}  // namespace

TEST_F(AuditTest, RecordsThroughTheWriterAndChainsRows) {
  {
    GroupCommitWriter writer(path.string(), GroupCommitWriter::Options{SyncPolicy::kNormal});
    AuditLog log(writer);
    AuditEvent ok;
    ok.event_type = kAuditLoginSuccess;
    ok.actor_user_id = "alice";
    ok.actor_device_id = "d1";
    ok.target_resource_type = "user";
    ok.target_resource_id = "alice";
    ok.details_json = R"({"token_id":"t1"})";
    EXPECT_TRUE(log.record(ok));
    AuditEvent bad = ok;
    bad.event_type = kAuditLoginFailure;
    bad.status = "failure";
    bad.failure_reason = "auth_token: revoked";
    EXPECT_TRUE(log.record(bad));
    writer.flush();
  }
  auto q = db.prepare(
      "SELECT id, time, event_type, actor_user_id, actor_device_id, target_resource_type, target_resource_id, "
      "ip_address, status, failure_reason, details, prev_hash, hash FROM audit_events ORDER BY id");
  std::string prev;
  int rows = 0;
  while (q.step()) {
    ++rows;
    AuditEvent e{q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7), q.text(8), q.text(9), q.text(10), {}, {}};
    EXPECT_GT(e.time_ms, 1'700'000'000'000);
    EXPECT_EQ(q.text(11), prev) << "row " << rows;
    EXPECT_EQ(q.text(12), audit_row_hash_v2(q.integer(0), prev, e));
    EXPECT_EQ(q.text(12).size(), 64u);
    if (rows == 2) {
      EXPECT_EQ(e.event_type, "login_failure");
      EXPECT_EQ(e.status, "failure");
      EXPECT_EQ(e.failure_reason, "auth_token: revoked");
    }
    prev = q.text(12);
  }
  EXPECT_EQ(rows, 2);
}

TEST_F(AuditTest, AHashChangesWithAnyField) {
  AuditEvent e;
  e.event_type = kAuditTokenRevoked;
  e.time_ms = 1;
  auto h = audit_row_hash("", e);
  EXPECT_EQ(h, audit_row_hash("", e));
  EXPECT_NE(h, audit_row_hash("x", e));
  e.details_json = R"({"n":1})";
  EXPECT_NE(h, audit_row_hash("", e));
}

TEST_F(AuditTest, TheVersion2HashCoversTheIdAndTheNewFields) {
  AuditEvent e;
  e.event_type = kAuditAdminAction;
  e.time_ms = 1;
  auto h = audit_row_hash_v2(1, "", e);
  EXPECT_EQ(h, audit_row_hash_v2(1, "", e));
  EXPECT_NE(h, audit_row_hash_v2(2, "", e));
  e.user_agent = "ua";
  EXPECT_NE(h, audit_row_hash_v2(1, "", e));
  e.user_agent.clear();
  e.submitted_by = "u-root/d1";
  EXPECT_NE(h, audit_row_hash_v2(1, "", e));
}

TEST_F(AuditTest, TheLogPseudonymizesTheAddressBeforeWriting) {
  {
    GroupCommitWriter writer(path.string(), GroupCommitWriter::Options{SyncPolicy::kNormal});
    AuditLog log(writer, AuditSettings{AuditIpMode::truncated, {}});
    AuditEvent e;
    e.event_type = kAuditLoginSuccess;
    e.ip_address = "198.51.100.23";
    EXPECT_TRUE(log.record(e));
    writer.flush();
  }
  auto q = db.prepare("SELECT ip_address, time FROM audit_events");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "198.51.100.0");
  EXPECT_GT(q.integer(1), 1'700'000'000'000);
}
