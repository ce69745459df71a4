// run_server: the one place where the QUIC endpoint and the dispatcher are
// started and stopped, around the process lifecycle.
#include "server/serving/server_main_loop.hpp"

#include <chrono>

#include "quic/self_signed_certificate.hpp"
#include "server/log_fields.hpp"
#include "server/media/flow_metrics.hpp"
#include "server/serving/qsip_server.hpp"
#include "server/signals.hpp"

namespace qsip::server {

namespace {

// Copies the QUIC endpoint's counters into gauges at scrape time.
class QuicStatsExport {
 public:
  QuicStatsExport(MetricsRegistry& registry, ServerMetrics& metrics, quic::EndpointStats& stats)
      : registry_(registry), metrics_(metrics), stats_(stats) {
    auto gauge = [&](const char* name, const char* help) -> Gauge& { return registry.gauge(name, help, {}).get(); };
    packets_in_ = &gauge("qsip_quic_packets_in", "UDP packets received by the QUIC endpoint (monotonic)");
    packets_out_ = &gauge("qsip_quic_packets_out", "UDP packets sent by the QUIC endpoint (monotonic)");
    udp_bytes_in_ = &gauge("qsip_quic_udp_bytes_in", "UDP payload bytes received (monotonic)");
    udp_bytes_out_ = &gauge("qsip_quic_udp_bytes_out", "UDP payload bytes sent (monotonic)");
    handshakes_failed_ = &gauge("qsip_quic_handshakes_failed", "connections closed before their handshake completed");
    handshakes_in_flight_ = &gauge("qsip_quic_handshakes_in_flight", "handshakes under way now");
    retries_ = &gauge("qsip_quic_retries_sent", "Retry packets sent (address validation)");
    resets_ = &gauge("qsip_quic_stateless_resets_sent", "stateless resets sent");
    version_negotiations_ = &gauge("qsip_quic_version_negotiations_sent", "version negotiation packets sent");
    idle_timeouts_ = &gauge("qsip_quic_idle_timeouts", "connections closed by the idle timeout");
    overflows_ = &gauge("qsip_quic_send_queue_overflows", "connections closed because their send queue passed the hard bound");
    droppable_refused_ = &gauge("qsip_quic_droppable_refused", "droppable sends refused over the soft bound");
    hook_ = registry.add_collect_hook([this] { collect(); });
  }
  ~QuicStatsExport() { registry_.remove_collect_hook(hook_); }

 private:
  void collect() {
    auto s = stats_.snapshot();
    auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    metrics_.connections.set(d(s.connections_open));
    metrics_.send_queue_bytes.set(d(s.send_queue_bytes));
    packets_in_->set(d(s.packets_in));
    packets_out_->set(d(s.packets_out));
    udp_bytes_in_->set(d(s.bytes_in));
    udp_bytes_out_->set(d(s.bytes_out));
    handshakes_failed_->set(d(s.handshakes_failed));
    handshakes_in_flight_->set(d(s.handshakes_in_flight));
    retries_->set(d(s.retries_sent));
    resets_->set(d(s.stateless_resets_sent));
    version_negotiations_->set(d(s.version_negotiations_sent));
    idle_timeouts_->set(d(s.idle_timeouts));
    overflows_->set(d(s.send_queue_overflows));
    droppable_refused_->set(d(s.droppable_refused));
  }
  MetricsRegistry& registry_;
  ServerMetrics& metrics_;
  quic::EndpointStats& stats_;
  Gauge *packets_in_, *packets_out_, *udp_bytes_in_, *udp_bytes_out_, *handshakes_failed_, *handshakes_in_flight_,
      *retries_, *resets_, *version_negotiations_, *idle_timeouts_, *overflows_, *droppable_refused_;
  MetricsRegistry::HookId hook_;
};

}  // namespace

int run_server(const Config& config, ServerContext& context) {
  auto& log = *context.logger;
  std::unique_ptr<QsipServer> server;
  try {
    server = std::make_unique<QsipServer>(config, context.material, context.metrics);
    server->start();
  } catch (const std::exception& e) {
    log_event(log, spdlog::level::err, "cannot start serving QUIC", {{"error", e.what()}});
    return 1;
  }
  for (const auto& address : server->local_addresses())
    log_event(log, spdlog::level::info, "serving QSIP over QUIC", {{"address", address.to_string()}, {"alpn", "qsip/1"}});
  log_event(log, spdlog::level::info, "server certificate",
            {{"cert", context.material.cert_file.string()},
             {"pin_sha256", quic::certificate_sha256_pin(context.material.cert_file.string())}});
  QuicStatsExport quic_metrics(context.registry, context.metrics, server->quic_stats());
  media::FlowMetricsExport flow_metrics(context.registry, server->media_relay().routes());

  SignalLoop signals(
      {
          .stop =
              [&context, &server] {
                context.readiness.set(false);  // /healthz says 503 from now on
                context.watchdog.arm();
                // Stop accepting, close every connection with the going-away code, join the workers.
                server->stop(std::chrono::seconds(4));
              },
          .reload =
              [&context, &server] {
                try {
                  server->reload_certificate();
                  log_event(*context.logger, spdlog::level::info, "certificate reloaded",
                            {{"cert", context.material.cert_file.string()}});
                } catch (const std::exception& e) {
                  log_event(*context.logger, spdlog::level::err, "certificate reload failed; keeping the old one",
                            {{"error", e.what()}});
                }
              },
      },
      context.logger);
  context.readiness.set(true);  // QUIC sockets are bound and workers run
  log_event(log, spdlog::level::info, "ready");
  signals.run();
  return 0;
}

}  // namespace qsip::server
