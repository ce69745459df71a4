#include "server/roster/fresh_reads.hpp"

namespace qsip::server {

void end_open_reads(store::SqliteDatabase& db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s; s = sqlite3_next_stmt(db.handle(), s))
    if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
}

}  // namespace qsip::server
