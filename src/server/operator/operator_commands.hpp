// `qsipd token ...` and `qsipd user ...`: operator commands that work on the
// data directory (its database and token signing key), whether or not a
// qsipd is running on it (SQLite in WAL mode lets both in).
#pragma once

#include "server/command_line.hpp"

namespace qsip::server {

// Runs the operator command of `invocation`; output on stdout, errors on
// stderr. Returns the process exit status (0, or 1 with the reason printed).
int run_operator_command(const Invocation& invocation);

}  // namespace qsip::server
