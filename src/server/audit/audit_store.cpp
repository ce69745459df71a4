#include "server/audit/audit_store.hpp"

#include <array>
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

std::int64_t append_audit_event(store::SqliteDatabase& db, const AuditEvent& event) {
  AuditEvent e = event;
  if (e.time_ms == 0) e.time_ms = now_ms();
  if (e.details_json.empty()) e.details_json = "{}";
  std::string prev;
  auto& last = db.cached("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1");
  if (last.step()) prev = last.text(0);
  last.reset();
  db.cached("INSERT INTO audit_events(time, event_type, actor_user_id, actor_device_id, target_resource_type, "
            "target_resource_id, ip_address, status, failure_reason, details, prev_hash, hash) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
      .bind(1, e.time_ms).bind(2, e.event_type).bind(3, e.actor_user_id).bind(4, e.actor_device_id)
      .bind(5, e.target_resource_type).bind(6, e.target_resource_id).bind(7, e.ip_address).bind(8, e.status)
      .bind(9, e.failure_reason).bind(10, e.details_json).bind(11, prev).bind(12, audit_row_hash(prev, e))
      .run();
  return db.last_insert_rowid();
}

}  // namespace qsip::server
