// Makes the next read on a connection see everything committed so far.
// SQLite keeps a connection's read snapshot while any of its statements is
// stepped but not reset, and a cached statement that returned one row (a
// lookup by key elsewhere in the server) stays that way until it is used
// again: a worker's reader would then miss what the writer committed since.
// Roster and presence decisions must see the latest subscriptions.
#pragma once

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// Resets every statement of `db` left in the middle of its rows. Only for
// a connection used by the calling thread, between (not inside) reads.
void end_open_reads(store::SqliteDatabase& db);

}  // namespace qsip::server
