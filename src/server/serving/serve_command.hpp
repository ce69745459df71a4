// `qsipd serve`: prepares everything the server needs (logger, data
// directory, metrics, admin endpoint), runs run_server(), and tears down in
// reverse order.
#pragma once

#include "server/config.hpp"

namespace qsip::server {

// Exit status of a failed start (data directory, admin address in use...).
inline constexpr int kExitStartFailure = 1;

// Returns the process exit status.
int run_serve_command(const Config& config);

}  // namespace qsip::server
