// A UDP socket address (IPv4 or IPv6) and its "ADDR:PORT" text form.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qsip::quic {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* sa() { return reinterpret_cast<sockaddr*>(&storage); }
  int family() const { return storage.ss_family; }
  uint16_t port() const;
  void set_port(uint16_t port);
  // "1.2.3.4:5" or "[::1]:5".
  std::string to_string() const;
  // The address without the port: "1.2.3.4" or "::1".
  std::string host_string() const;
  // The address without the port, as bytes (4 or 16); used as the key of
  // per-source limits so all ports of one host share one budget.
  std::string host_key() const;

  static SocketAddress from(const sockaddr* sa, socklen_t len);
};

// Parses "ADDR:PORT" where ADDR is a numeric IPv4 address, or a numeric IPv6
// address in brackets ("[::]:4433"), or a host name resolved with
// getaddrinfo (first UDP result). Port 0 means ephemeral.
// Returns std::nullopt when the text is malformed or does not resolve.
std::optional<SocketAddress> parse_socket_address(std::string_view text);

// Resolves host and port (numeric or name) for a client to connect to.
// Returns std::nullopt when it does not resolve.
std::optional<SocketAddress> resolve_socket_address(const std::string& host, uint16_t port);

bool operator==(const SocketAddress& a, const SocketAddress& b);

}  // namespace qsip::quic
