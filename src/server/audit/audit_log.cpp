#include "server/audit/audit_log.hpp"

#include <chrono>

#include "server/audit/audit_store.hpp"

namespace qsip::server {

bool AuditLog::record(AuditEvent event) {
  // Stamped here, not when the batch commits: the time is when it happened.
  if (event.time_ms == 0)
    event.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return writer_.submit([event = std::move(event)](store::SqliteDatabase& db) { append_audit_event(db, event); });
}

}  // namespace qsip::server
