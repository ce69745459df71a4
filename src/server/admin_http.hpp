// The admin HTTP endpoint (GNU libmicrohttpd, on its own thread):
//   GET /healthz  200 "ok" while ready (serving QUIC), else 503
//   GET /metrics  Prometheus text format 0.0.4
//   anything else 404; another method on those paths 405.
// It is meant for a private address (the default is 127.0.0.1:9090).
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/listen_address.hpp"
#include "server/metrics.hpp"
#include "server/readiness.hpp"

struct MHD_Daemon;
struct MHD_Connection;

namespace qsip::server {

class AdminHttpServer {
 public:
  // `metrics` and `readiness` must outlive this object.
  AdminHttpServer(MetricsRegistry& metrics, const Readiness& readiness, std::shared_ptr<spdlog::logger> logger);
  ~AdminHttpServer();  // stops
  AdminHttpServer(const AdminHttpServer&) = delete;
  AdminHttpServer& operator=(const AdminHttpServer&) = delete;

  // Binds `address` (IPv4 or IPv6; port 0 = ephemeral) and serves on an
  // internal thread. Returns an error message when the daemon cannot start
  // (address in use, permission denied, already started).
  std::optional<std::string> start(const ListenAddress& address);

  // The bound address, with the real port; meaningful after start().
  const ListenAddress& address() const { return bound_; }

  // Stops serving and joins the thread; idempotent.
  void stop();

 private:
  friend struct AdminHttpCallbacks;  // libmicrohttpd's C callbacks, in admin_http.cpp
  struct Response {
    unsigned status;
    std::string content_type;
    std::string body;
  };
  Response respond(std::string_view method, std::string_view url);

  MetricsRegistry& metrics_;
  const Readiness& readiness_;
  std::shared_ptr<spdlog::logger> logger_;
  MHD_Daemon* daemon_ = nullptr;
  ListenAddress bound_;
  std::mutex error_mutex_;  // libmicrohttpd may log from its own thread
  std::string last_daemon_error_;  // what libmicrohttpd said last, for start()'s message
};

}  // namespace qsip::server
