// The QUIC server endpoint: N worker threads (one per core by default),
// each with its own event loop and SO_REUSEPORT sockets, sharing only the
// TLS context, the statistics and the limits' global counters.
//
//   qsip::quic::ServerConfig config;            // listen, cert, key, limits
//   MyHandler handler;                           // a ConnectionHandler
//   qsip::quic::Server server(config, handler);
//   server.start();                              // throws on bind/TLS errors
//   ...
//   server.post(worker, [id](qsip::quic::Worker& w) {
//     if (auto* c = w.find(id)) c->send(stream, bytes);
//   });
//   server.stop(std::chrono::seconds(5));
//
// The handler is called on worker threads, concurrently from different
// workers, each connection always on its owner's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "quic/endpoint_stats.hpp"
#include "quic/handshake_rate_limiter.hpp"
#include "quic/inbox.hpp"
#include "quic/server_config.hpp"
#include "quic/socket_address.hpp"

namespace qsip::quic {

class ConnectionHandler;
class TlsServerContext;
class Worker;

class Server {
 public:
  // Loads the certificate and key. Throws std::runtime_error when they do
  // not load, when a listen address does not parse, or when
  // static_secret is neither empty nor 32 bytes.
  Server(const ServerConfig& config, ConnectionHandler& handler);
  ~Server();  // stop(0) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every worker's sockets and starts the threads. Throws
  // std::runtime_error (address in use, permission ...) and then leaves
  // nothing running.
  void start();

  // Graceful stop: refuse new connections, close every connection with
  // kAppErrorGoingAway (one CONNECTION_CLOSE each, no closing period), stop
  // the threads. Returns when the threads have exited; the close packets
  // are sent immediately, so this takes well under `deadline` unless a
  // handler blocks. With notify_peers = false connections are dropped
  // silently instead (a crash, as seen by clients; used by tests).
  void stop(std::chrono::milliseconds deadline, bool notify_peers = true);

  // The bound addresses, in ServerConfig::listen order, with real ports.
  // Valid after start().
  std::vector<SocketAddress> local_addresses() const;

  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }
  // The worker owning a connection id (Connection::id()).
  static unsigned worker_of(uint64_t connection_id) {
    return static_cast<unsigned>(connection_id & 0xff);
  }

  // Runs `task` on worker `worker`'s thread. Thread-safe. Returns false when
  // the worker index is out of range, the inbox is full
  // (ServerConfig::inbox_capacity) or the server is stopping; the task is
  // then not run.
  bool post(unsigned worker, InboxTask task);

  // New handshakes use the certificate and key in these files from now on.
  // Throws std::runtime_error (and keeps the current ones) when they do not
  // load. Thread-safe.
  void reload_certificate(const std::string& cert_file, const std::string& key_file);

  EndpointStats& stats() { return stats_; }
  const EndpointStats& stats() const { return stats_; }

  // ---- For workers ---------------------------------------------------------
  const ServerConfig& config() const { return config_; }
  ConnectionHandler& handler() { return handler_; }
  TlsServerContext& tls() { return *tls_; }
  HandshakeRateLimiter& rate_limiter() { return rate_limiter_; }
  Worker& worker(unsigned i) { return *workers_[i]; }
  const std::vector<uint8_t>& static_secret() const { return secret_; }
  bool accepting() const { return accepting_.load(std::memory_order_relaxed); }

 private:
  ServerConfig config_;
  ConnectionHandler& handler_;
  std::unique_ptr<TlsServerContext> tls_;
  std::vector<uint8_t> secret_;
  HandshakeRateLimiter rate_limiter_;
  EndpointStats stats_;
  std::vector<SocketAddress> listen_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<bool> accepting_{false};
  bool running_ = false;
};

}  // namespace qsip::quic
