// The append-only `audit_events` table. Each row carries the hash of the row
// before it and its own hash over both (SHA-256, hex), so that a later
// check can tell an edited or deleted row from an untouched log.
#pragma once

#include <span>
#include <string>

#include "server/audit/audit_event.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> audit_migrations();

// Appends `event`. Must run inside a write transaction (the writer thread's
// batch, or a store::Transaction): the last row's hash is read and the new
// row written without another writer in between. Returns the row id.
std::int64_t append_audit_event(store::SqliteDatabase& db, const AuditEvent& event);

// The hash of a row: SHA-256 over the previous row's hash and the row's
// fields in a fixed order (documented in docs/auth.md), as lower-case hex.
std::string audit_row_hash(const std::string& prev_hash, const AuditEvent& event);

}  // namespace qsip::server
