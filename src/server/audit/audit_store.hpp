// The append-only `audit_events` table and its hash chain (docs/audit.md).
// Each row carries the hash of the row before it and its own hash over its
// id, that previous hash and every field (SHA-256, hex); the `audit_chain`
// row remembers the head (last id and hash) and the anchor (the last pruned
// record), so that `qsipd audit verify` tells a changed, removed or inserted
// record from an untouched log.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "server/audit/audit_event.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> audit_migrations();

// Appends `event`. Must run inside a write transaction (the writer thread's
// batch, or a store::Transaction, which is BEGIN IMMEDIATE): the head is
// read and the new row written without another writer in between, so the
// chain never forks, whichever process appends. Returns the row id.
std::int64_t append_audit_event(store::SqliteDatabase& db, const AuditEvent& event);

// The hash of a row written before ids were hashed (hash_version 1):
// SHA-256 over the previous row's hash and the fields, as lower-case hex.
std::string audit_row_hash(const std::string& prev_hash, const AuditEvent& event);

// The hash of a row today (hash_version 2): SHA-256 over a JSON array of a
// version tag, the id, the previous hash and every field in a fixed order
// (docs/audit.md "The chain").
std::string audit_row_hash_v2(std::int64_t id, const std::string& prev_hash, const AuditEvent& event);

// The chain's bookends: the anchor (id and hash of the last pruned record;
// 0 and "" before any pruning) and the head (the last appended record).
struct AuditChainState {
  std::int64_t anchor_id = 0;
  std::string anchor_hash;
  std::int64_t head_id = 0;
  std::string head_hash;
};
AuditChainState read_audit_chain_state(store::SqliteDatabase& db);

}  // namespace qsip::server
