// `qsipd audit verify` and `qsipd audit export`: the audit log of a data
// directory, whether or not a qsipd is running on it (SQLite WAL).
#pragma once

#include "server/command_line.hpp"

namespace qsip::server {

// Exit status: 0 (intact / exported), 1 (damage found, or an error; the
// reason on stderr), 2 (a bad filter value).
int run_audit_command(const Invocation& invocation);

}  // namespace qsip::server
