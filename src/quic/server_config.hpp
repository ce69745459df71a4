// Configuration of a QUIC Server: where to listen, TLS, threads, limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "quic/connection_limits.hpp"

namespace qsip::quic {

// When the server answers a new Initial with a Retry to validate the
// client's address before spending a handshake on it.
enum class RetryPolicy {
  kOff,   // never
  kOn,    // always
  kAuto,  // when handshakes in flight reach ServerConfig::retry_threshold
};

struct ServerConfig {
  // "ADDR:PORT" UDP addresses; port 0 binds an ephemeral port (see
  // Server::local_addresses).
  std::vector<std::string> listen = {"[::]:4433", "0.0.0.0:4433"};
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
  std::string alpn = "qsip/1";
  // Worker threads, each with its own event loop and sockets. 0 = one per
  // core (std::thread::hardware_concurrency()).
  unsigned workers = 0;
  ConnectionLimits limits;
  // Connections alive at once, all workers together; more are refused with
  // CONNECTION_REFUSED.
  size_t max_connections = 200'000;
  // New handshakes a second from one IP address (token bucket with
  // `handshake_burst`); excess Initials are dropped. <= 0 disables.
  double handshakes_per_second_per_address = 1000;
  double handshake_burst = 2000;
  RetryPolicy retry = RetryPolicy::kAuto;
  size_t retry_threshold = 5000;
  // Secret for stateless reset tokens and Retry tokens: 32 bytes shared by
  // every process that should recognise the others' tokens (e.g. across a
  // restart). Empty = random per Server.
  std::vector<uint8_t> static_secret;
  // Tasks an inbox holds at once (Server::post refuses beyond).
  size_t inbox_capacity = 65536;
  // SO_RCVBUF / SO_SNDBUF of each server socket.
  int socket_buffer_bytes = 4 * 1024 * 1024;
};

}  // namespace qsip::quic
