// Server: configuration checks, worker start/stop, cross-worker posting.
#include "quic/server.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "quic/random_bytes.hpp"
#include "quic/tls_server_context.hpp"
#include "quic/worker.hpp"

namespace qsip::quic {
namespace {
// The worker index lives in one CID byte and one connection id byte.
constexpr unsigned kMaxWorkers = 255;
constexpr size_t kSecretLength = 32;
}  // namespace

Server::Server(const ServerConfig& config, ConnectionHandler& handler)
    : config_(config),
      handler_(handler),
      rate_limiter_(config.handshakes_per_second_per_address, config.handshake_burst) {
  for (const auto& text : config_.listen) {
    auto addr = parse_socket_address(text);
    if (!addr) throw std::runtime_error("QUIC server: bad listen address \"" + text + "\"");
    listen_.push_back(*addr);
  }
  if (listen_.empty()) throw std::runtime_error("QUIC server: no listen address");
  if (config_.static_secret.empty()) {
    secret_.resize(kSecretLength);
    random_bytes(secret_.data(), secret_.size());
  } else if (config_.static_secret.size() == kSecretLength) {
    secret_ = config_.static_secret;
  } else {
    throw std::runtime_error("QUIC server: static_secret must be 32 bytes");
  }
  tls_ = std::make_unique<TlsServerContext>(config_.cert_file, config_.key_file, config_.alpn);
}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

void Server::start() {
  if (running_) return;
  unsigned n = config_.workers != 0 ? config_.workers : std::thread::hardware_concurrency();
  n = std::clamp(n, 1u, kMaxWorkers);
  try {
    std::vector<SocketAddress> addresses = listen_;
    for (unsigned i = 0; i < n; ++i) {
      workers_.push_back(std::make_unique<Worker>(*this, i));
      workers_.back()->bind(addresses);
      // Ephemeral ports: the other workers join the port the first got.
      if (i == 0) addresses = workers_[0]->bound_addresses();
    }
  } catch (...) {
    workers_.clear();
    throw;
  }
  accepting_.store(true);
  running_ = true;
  for (auto& w : workers_) w->start();
}

void Server::stop(std::chrono::milliseconds, bool notify_peers) {
  if (!running_) return;
  accepting_.store(false);
  // Workers close their connections themselves (one packet each, no
  // waiting for acknowledgements), so joining is bounded by that work.
  for (auto& w : workers_) w->request_stop(notify_peers);
  for (auto& w : workers_) w->join();
  workers_.clear();
  running_ = false;
}

std::vector<SocketAddress> Server::local_addresses() const {
  if (workers_.empty()) return {};
  return workers_[0]->bound_addresses();
}

bool Server::post(unsigned worker, InboxTask task) {
  if (worker >= workers_.size()) return false;
  return workers_[worker]->post(std::move(task));
}

void Server::reload_certificate(const std::string& cert_file, const std::string& key_file) {
  tls_->reload(cert_file, key_file);
}

}  // namespace qsip::quic
