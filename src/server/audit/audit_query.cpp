#include "server/audit/audit_query.hpp"

#include <chrono>
#include <functional>

#include <simdjson.h>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"

namespace qsip::server {

const char* const kAuditEventColumns =
    "id, time, event_type, actor_user_id, actor_device_id, target_resource_type, target_resource_id, ip_address, "
    "status, failure_reason, details, prev_hash, hash, user_agent, submitted_by, hash_version";

StoredAuditEvent read_stored_audit_event(const store::Statement& q) {
  StoredAuditEvent r;
  r.id = q.integer(0);
  r.event.time_ms = q.integer(1);
  r.event.event_type = q.text(2);
  r.event.actor_user_id = q.text(3);
  r.event.actor_device_id = q.text(4);
  r.event.target_resource_type = q.text(5);
  r.event.target_resource_id = q.text(6);
  r.event.ip_address = q.text(7);
  r.event.status = q.text(8);
  r.event.failure_reason = q.text(9);
  r.event.details_json = q.text(10);
  r.prev_hash = q.text(11);
  r.hash = q.text(12);
  r.event.user_agent = q.text(13);
  r.event.submitted_by = q.text(14);
  r.hash_version = q.integer(15);
  return r;
}

std::int64_t for_each_audit_event(store::SqliteDatabase& db, const AuditFilter& f,
                                  const std::function<bool(const StoredAuditEvent&)>& each) {
  // One statement text whatever the filters: an absent filter binds NULL
  // (or '') and its condition is true.
  auto q = db.prepare(std::string("SELECT ") + kAuditEventColumns +
                      " FROM audit_events WHERE id > ?1"
                      " AND (?2 IS NULL OR time >= ?2) AND (?3 IS NULL OR time < ?3)"
                      " AND (?4 = '' OR actor_user_id = ?4) AND (?5 = '' OR event_type = ?5)"
                      " AND (?6 = '' OR target_resource_type = ?6) AND (?7 = '' OR target_resource_id = ?7)"
                      " ORDER BY id LIMIT ?8");
  q.bind(1, f.after_id);
  if (f.since_ms) q.bind(2, *f.since_ms); else q.bind_null(2);
  if (f.until_ms) q.bind(3, *f.until_ms); else q.bind_null(3);
  q.bind(4, f.actor_user_id).bind(5, f.event_type).bind(6, f.target_resource_type).bind(7, f.target_resource_id);
  q.bind(8, f.limit > 0 ? f.limit : std::int64_t{-1});
  std::int64_t n = 0;
  while (q.step()) {
    ++n;
    if (!each(read_stored_audit_event(q))) break;
  }
  q.reset();
  return n;
}

namespace {
bool is_json_object(const std::string& text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  return !parser.parse(text).get(object);
}
}  // namespace

std::string audit_event_json(const StoredAuditEvent& row) {
  const AuditEvent& e = row.event;
  std::string out;
  core::JsonWriter w(out);
  auto optional = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) w.member(key, value);
  };
  w.begin_object();
  w.member("id", row.id);
  w.member("timestamp",
           core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(e.time_ms))));
  w.member("event_type", e.event_type);
  optional("actor_user_id", e.actor_user_id);
  optional("actor_device_id", e.actor_device_id);
  optional("target_resource_type", e.target_resource_type);
  optional("target_resource_id", e.target_resource_id);
  optional("ip_address", e.ip_address);
  optional("user_agent", e.user_agent);
  // Every writer stores a JSON object; a row edited behind the server's back
  // may not hold one, and the line must stay JSON: then it is a string.
  if (is_json_object(e.details_json))
    w.key("details").raw(e.details_json);
  else
    w.member("details", e.details_json);
  w.member("status", e.status);
  optional("failure_reason", e.failure_reason);
  optional("submitted_by", e.submitted_by);
  w.member("hash", row.hash);
  w.end_object();
  return out;
}

}  // namespace qsip::server
