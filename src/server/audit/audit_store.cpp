#include "server/audit/audit_store.hpp"

#include <algorithm>
#include <chrono>

#include "core/json_writer.hpp"
#include "server/dispatch/sha256.hpp"

namespace qsip::server {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,               -- Unix milliseconds
        event_type TEXT NOT NULL,
        actor_user_id TEXT NOT NULL DEFAULT '',
        actor_device_id TEXT NOT NULL DEFAULT '',
        target_resource_type TEXT NOT NULL DEFAULT '',
        target_resource_id TEXT NOT NULL DEFAULT '',
        ip_address TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        failure_reason TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '{}',  -- a JSON object
        prev_hash TEXT NOT NULL DEFAULT '',
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_events_by_time ON audit_events(time);
      CREATE INDEX audit_events_by_actor ON audit_events(actor_user_id, time);
      -- Append-only: the store itself refuses changes to recorded events.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    )sql"},
    // Version 2: ids in the hash, user_agent and submitted_by, the chain's
    // head and anchor (pruning), indexes for the admin queries. The triggers
    // go: retention deletes old rows, and they never stopped anyone who can
    // write the file (one DROP TRIGGER); the chain is what detects changes.
    {2, R"sql(
      DROP TRIGGER audit_events_no_update;
      DROP TRIGGER audit_events_no_delete;
      ALTER TABLE audit_events ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
      ALTER TABLE audit_events ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
      ALTER TABLE audit_events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX audit_events_by_type ON audit_events(event_type, time);
      CREATE INDEX audit_events_by_resource ON audit_events(target_resource_type, target_resource_id, time);
      CREATE TABLE audit_chain (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        anchor_id INTEGER NOT NULL DEFAULT 0,
        anchor_hash TEXT NOT NULL DEFAULT '',
        head_id INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT NOT NULL DEFAULT ''
      );
      INSERT INTO audit_chain(one, head_id, head_hash)
        VALUES(1, (SELECT COALESCE(MAX(id), 0) FROM audit_events),
               COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), ''));
    )sql"},
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

std::span<const store::Migration> audit_migrations() { return kMigrations; }

std::string audit_row_hash(const std::string& prev_hash, const AuditEvent& e) {
  // A JSON array: unambiguous field boundaries whatever the fields contain.
  std::string text;
  core::JsonWriter w(text);
  w.begin_array()
      .value(prev_hash)
      .value(e.time_ms)
      .value(e.event_type)
      .value(e.actor_user_id)
      .value(e.actor_device_id)
      .value(e.target_resource_type)
      .value(e.target_resource_id)
      .value(e.ip_address)
      .value(e.status)
      .value(e.failure_reason)
      .value(e.details_json)
      .end_array();
  return sha256_hex(text);
}

std::string audit_row_hash_v2(std::int64_t id, const std::string& prev_hash, const AuditEvent& e) {
  std::string text;
  core::JsonWriter w(text);
  w.begin_array()
      .value("qsip-audit-2")
      .value(id)
      .value(prev_hash)
      .value(e.time_ms)
      .value(e.event_type)
      .value(e.actor_user_id)
      .value(e.actor_device_id)
      .value(e.target_resource_type)
      .value(e.target_resource_id)
      .value(e.ip_address)
      .value(e.user_agent)
      .value(e.status)
      .value(e.failure_reason)
      .value(e.details_json)
      .value(e.submitted_by)
      .end_array();
  return sha256_hex(text);
}

AuditChainState read_audit_chain_state(store::SqliteDatabase& db) {
  AuditChainState s;
  auto& q = db.cached("SELECT anchor_id, anchor_hash, head_id, head_hash FROM audit_chain WHERE one = 1");
  if (q.step()) {
    s.anchor_id = q.integer(0);
    s.anchor_hash = q.text(1);
    s.head_id = q.integer(2);
    s.head_hash = q.text(3);
  }
  q.reset();
  return s;
}

std::int64_t append_audit_event(store::SqliteDatabase& db, const AuditEvent& event) {
  AuditEvent e = event;
  if (e.time_ms == 0) e.time_ms = now_ms();
  if (e.details_json.empty()) e.details_json = "{}";
  if (e.status.empty()) e.status = "success";
  // The head names the previous record even if a row was deleted behind the
  // chain's back: the next record still links to what was there, and verify
  // reports the gap. A row inserted beyond the head is skipped over, never
  // chained to.
  AuditChainState chain = read_audit_chain_state(db);
  std::int64_t last_row = 0;
  auto& max = db.cached("SELECT COALESCE(MAX(id), 0) FROM audit_events");
  if (max.step()) last_row = max.integer(0);
  max.reset();
  const std::int64_t id = std::max(chain.head_id, last_row) + 1;
  const std::string hash = audit_row_hash_v2(id, chain.head_hash, e);
  db.cached("INSERT INTO audit_events(id, time, event_type, actor_user_id, actor_device_id, target_resource_type, "
            "target_resource_id, ip_address, status, failure_reason, details, prev_hash, hash, user_agent, "
            "submitted_by, hash_version) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 2)")
      .bind(1, id).bind(2, e.time_ms).bind(3, e.event_type).bind(4, e.actor_user_id).bind(5, e.actor_device_id)
      .bind(6, e.target_resource_type).bind(7, e.target_resource_id).bind(8, e.ip_address).bind(9, e.status)
      .bind(10, e.failure_reason).bind(11, e.details_json).bind(12, chain.head_hash).bind(13, hash)
      .bind(14, e.user_agent).bind(15, e.submitted_by)
      .run();
  db.cached("UPDATE audit_chain SET head_id = ?1, head_hash = ?2 WHERE one = 1").bind(1, id).bind(2, hash).run();
  return id;
}

}  // namespace qsip::server
