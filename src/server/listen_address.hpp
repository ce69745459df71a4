// A numeric socket address to bind to, as written in configuration:
// "[::]:4433", "0.0.0.0:4433", "127.0.0.1:0". Host names are refused on
// purpose: a listener must not depend on DNS at start.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qsip::server {

struct ListenAddress {
  std::string host;         // numeric, without brackets: "::", "0.0.0.0"
  std::uint16_t port = 0;   // 0 asks the kernel for an ephemeral port
  int family = AF_UNSPEC;   // AF_INET or AF_INET6

  // "[::1]:4433" or "127.0.0.1:4433": the form parse_listen_address accepts.
  std::string to_string() const;
  // The address as a sockaddr_in or sockaddr_in6 in `out`; returns its length.
  socklen_t to_sockaddr(sockaddr_storage& out) const;

  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

// Parses "IPv4:PORT" or "[IPv6]:PORT". Returns nullopt and sets `why`
// (when given) to a one-line reason on a malformed address.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* why = nullptr);

// The address a bound socket reports (getsockname), in the same form.
std::optional<ListenAddress> listen_address_from_sockaddr(const sockaddr* sa);

}  // namespace qsip::server
