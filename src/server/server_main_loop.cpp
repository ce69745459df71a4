// run_server: the one place where the QUIC endpoint and the dispatcher are
// started and stopped. Until they are wired in (look for INTEGRATION), it
// runs the process lifecycle alone so the shell is a real, testable process.
#include "server/server_main_loop.hpp"

#include "server/log_fields.hpp"
#include "server/signals.hpp"

namespace qsip::server {

int run_server(const Config& config, ServerContext& context) {
  auto& log = *context.logger;

  // INTEGRATION: create the QUIC server here from config.server.listen,
  // config.server.workers, config.quic, context.material.cert_file and
  // key_file, with the dispatcher as its stream handler; start it, log the
  // addresses it bound (ports may be ephemeral), and register a collect hook
  // on context.registry that copies its statistics snapshot into
  // context.metrics. Return 1 if it cannot start.
  for (const auto& address : config.server.listen) {
    log_event(log, spdlog::level::warn, "QUIC listener configured but not started (QUIC serving not integrated)",
              {{"address", address.to_string()}});
  }

  SignalLoop signals(
      {
          .stop =
              [&context] {
                context.readiness.set(false);  // /healthz says 503 from now on
                context.watchdog.arm();
                // INTEGRATION: quic_server.stop(): stop accepting, close every
                // connection with the going-away code, join the workers.
              },
          .reload =
              [&context] {
                // INTEGRATION: quic_server.reload_certificate(context.material.cert_file,
                // context.material.key_file), logging failure and keeping the old one.
                log_event(*context.logger, spdlog::level::info, "certificate reload: nothing to reload yet",
                          {{"cert", context.material.cert_file.string()}});
              },
      },
      context.logger);

  // INTEGRATION: set only once the QUIC server has bound its sockets.
  context.readiness.set(true);
  log_event(log, spdlog::level::info, "ready");

  signals.run();
  return 0;
}

}  // namespace qsip::server
