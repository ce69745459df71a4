#include "server/serving/serve_command.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "server/admin_http.hpp"
#include "server/log_fields.hpp"
#include "server/logging.hpp"
#include "server/serving/server_main_loop.hpp"

namespace qsip::server {
namespace {

void log_material(spdlog::logger& log, const ServerMaterial& m) {
  if (m.created_data_dir) log_event(log, spdlog::level::info, "created data directory", {{"path", m.data_dir.string()}});
  const char* cert_origin = m.certificate_configured ? "configured"
                            : m.generated_certificate ? "generated self-signed"
                                                      : "data directory";
  log_event(log, spdlog::level::info, "TLS certificate",
            {{"cert", m.cert_file.string()}, {"key", m.key_file.string()}, {"origin", cert_origin}});
  log_event(log, spdlog::level::info, "token signing key",
            {{"path", m.token_signing_key_file.string()},
             {"origin", m.generated_token_signing_key ? "generated" : "data directory"}});
}

}  // namespace

int run_serve_command(const Config& config) {
  auto logger = make_logger(config.log);
  // Components that log through spdlog's default logger share the format.
  spdlog::set_default_logger(logger);
  auto& log = *logger;
  log_event(log, spdlog::level::info, "qsipd starting",
            {{"version", QSIP_VERSION},
             {"pid", static_cast<long>(::getpid())},
             {"server_id", config.server.server_id},
             {"node_id", config.server.node_id},
             {"data_dir", config.server.data_dir.string()}});

  auto prepared = prepare_data_dir(config);
  if (auto* err = std::get_if<DataDirError>(&prepared)) {
    log_event(log, spdlog::level::critical, "cannot prepare the data directory", {{"error", err->message}});
    return kExitStartFailure;
  }
  const auto& material = std::get<ServerMaterial>(prepared);
  log_material(log, material);

  MetricsRegistry registry;
  ServerMetrics metrics(registry);
  Readiness readiness;
  AdminHttpServer admin(registry, readiness, logger);
  if (auto err = admin.start(config.admin.listen)) {
    log_event(log, spdlog::level::critical, "cannot start the admin endpoint", {{"error", *err}});
    return kExitStartFailure;
  }
  log_event(log, spdlog::level::info, "admin endpoint listening",
            {{"address", admin.address().to_string()}, {"port", static_cast<unsigned>(admin.address().port)}});

  ShutdownWatchdog watchdog(logger);
  ServerContext context{material, registry, metrics, readiness, watchdog, logger};
  int status = run_server(config, context);

  admin.stop();
  watchdog.disarm();
  log_event(log, spdlog::level::info, "stopped", {{"exit_status", status}});
  logger->flush();
  return status;
}

}  // namespace qsip::server
