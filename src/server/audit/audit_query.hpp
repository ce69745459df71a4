// Reading the audit log back: the filters admins query by (AUDIT_EVENT
// "query", `qsipd audit export`), rows as stored, and the JSON object one
// row becomes (an AUDIT_EVENT payload plus id, timestamp and hash).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/audit/audit_event.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct StoredAuditEvent {
  std::int64_t id = 0;
  AuditEvent event;
  std::string prev_hash;
  std::string hash;
  std::int64_t hash_version = 2;
};

// Every filter is optional; rows come oldest first (ascending id).
struct AuditFilter {
  std::optional<std::int64_t> since_ms;  // time >= since
  std::optional<std::int64_t> until_ms;  // time < until
  std::string actor_user_id;
  std::string event_type;
  std::string target_resource_type;
  std::string target_resource_id;
  std::int64_t after_id = 0;  // the cursor: rows with a larger id
  std::int64_t limit = 0;     // 0: no limit (export); queries bound it
};

// The columns read_stored_audit_event expects, in order, for SELECTs.
extern const char* const kAuditEventColumns;
StoredAuditEvent read_stored_audit_event(const store::Statement& row);

// Calls `each` for every matching row, oldest first; stops early when it
// returns false. Returns how many rows were passed.
std::int64_t for_each_audit_event(store::SqliteDatabase& db, const AuditFilter& filter,
                                  const std::function<bool(const StoredAuditEvent&)>& each);

// {"id":..,"timestamp":"ISO","event_type":..,...,"details":{..},"status":..,"hash":..}
// Empty optional fields are left out, as in the draft's payload.
std::string audit_event_json(const StoredAuditEvent& row);

}  // namespace qsip::server
