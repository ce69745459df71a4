// Checking and pruning the audit hash chain (docs/audit.md "The chain").
#pragma once

#include <cstdint>
#include <string>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct AuditVerification {
  bool intact = true;
  std::int64_t records = 0;  // records checked (all of them when intact)
  // When not intact: the first bad record's id and the kind of damage:
  // "changed" (its hash does not match its fields), "removed" (a gap in the
  // ids, or missing records before the head), "inserted" (a record outside
  // the chain: beyond the head or before the anchor), "broken_link" (its
  // prev_hash does not name the record before it), "anchor" (the pruning
  // anchor is not the one the last audit_pruned record names).
  std::int64_t bad_id = 0;
  std::string damage;
  std::string message;  // one line for the operator
};

// Walks the chain from the anchor to the head. Reads only: works on a
// read-only connection while qsipd appends (a WAL snapshot).
AuditVerification verify_audit_chain(store::SqliteDatabase& db);

// Deletes the oldest records, those before the first one at or after
// `cutoff_ms` (a prefix of the chain), moves the anchor to the last one
// deleted and appends an `audit_pruned` record naming it, so that verify
// still passes. Must run in a write transaction. Returns how many were deleted.
std::int64_t prune_audit_events(store::SqliteDatabase& db, std::int64_t cutoff_ms);

}  // namespace qsip::server
