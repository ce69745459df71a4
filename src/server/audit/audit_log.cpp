#include "server/audit/audit_log.hpp"

#include <chrono>

#include "server/audit/audit_ip.hpp"
#include "server/audit/audit_store.hpp"

namespace qsip::server {

void prepare_audit_event(AuditEvent& event, const AuditSettings& settings) {
  // Stamped here, not when the batch commits: the time is when it happened.
  if (event.time_ms == 0)
    event.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  event.ip_address = pseudonymize_ip(event.ip_address, settings);
}

bool AuditLog::record(AuditEvent event) { return record(std::move(event), {}); }

bool AuditLog::record(AuditEvent event, store::GroupCommitWriter::Completion done) {
  prepare_audit_event(event, settings_);
  return writer_.submit([event = std::move(event)](store::SqliteDatabase& db) { append_audit_event(db, event); },
                        std::move(done));
}

}  // namespace qsip::server
