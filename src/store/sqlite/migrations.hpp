// Versioned schema migrations, per module: each domain module owns its
// tables and lists its migrations in order; at start the store applies the
// ones not yet applied, each in its own transaction, and records them.
#pragma once

#include <span>
#include <string_view>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::store {

struct Migration {
  int version;           // 1, 2, 3 ... per module
  std::string_view sql;  // may hold several statements
};

// Applies `module`'s migrations newer than the recorded version. Returns the
// number applied. Throws StoreError (and applies nothing of the failing one).
int apply_migrations(SqliteDatabase& db, std::string_view module, std::span<const Migration> migrations);

}  // namespace qsip::store
