// The integration point between qsipd's process shell and the server
// proper: run_server() starts serving, waits for a stop signal and stops
// gracefully. Everything it needs arrives here; nothing is global.
#pragma once

#include <spdlog/logger.h>

#include <memory>

#include "server/config.hpp"
#include "server/data_dir.hpp"
#include "server/metrics.hpp"
#include "server/readiness.hpp"
#include "server/server_metrics.hpp"
#include "server/shutdown_watchdog.hpp"

namespace qsip::server {

// What the shell prepared before serving; owned by the serve command,
// valid for the whole of run_server().
struct ServerContext {
  const ServerMaterial& material;     // certificate, key and token signing key paths
  MetricsRegistry& registry;          // for add_collect_hook (QUIC statistics snapshot)
  ServerMetrics& metrics;             // the qsip_* families
  Readiness& readiness;               // /healthz: set once QUIC serves, cleared when stopping
  ShutdownWatchdog& watchdog;         // armed when the stop begins: exit within 5 s
  std::shared_ptr<spdlog::logger> logger;
};

// Serves until SIGTERM or SIGINT, then stops gracefully; SIGHUP reloads the
// certificate. Returns the process exit status (0 after a clean stop).
int run_server(const Config& config, ServerContext& context);

}  // namespace qsip::server
