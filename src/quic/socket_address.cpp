// Parsing and formatting of socket addresses.
#include "quic/socket_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <charconv>
#include <cstring>

namespace qsip::quic {

uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

void SocketAddress::set_port(uint16_t p) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(p);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(p);
}

std::string SocketAddress::host_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf,
              sizeof buf);
  } else {
    return "?";
  }
  return buf;
}

std::string SocketAddress::to_string() const {
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on
  // "[" + std::string(...).
  std::string out;
  if (family() == AF_INET6) out += "[";
  out += host_string();
  if (family() == AF_INET6) out += "]";
  if (family() != AF_INET && family() != AF_INET6) return out;
  out += ":";
  out += std::to_string(port());
  return out;
}

std::string SocketAddress::host_key() const {
  if (family() == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr;
    return std::string(reinterpret_cast<const char*>(&a), sizeof a);
  }
  if (family() == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr;
    return std::string(reinterpret_cast<const char*>(&a), sizeof a);
  }
  return {};
}

SocketAddress SocketAddress::from(const sockaddr* sa, socklen_t len) {
  SocketAddress out;
  if (len > sizeof out.storage) len = sizeof out.storage;
  std::memcpy(&out.storage, sa, len);
  out.len = len;
  return out;
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  return a.len == b.len && std::memcmp(&a.storage, &b.storage, a.len) == 0;
}

std::optional<SocketAddress> resolve_socket_address(const std::string& host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string port_text = std::to_string(port);
  if (::getaddrinfo(host.c_str(), port_text.c_str(), &hints, &res) != 0 || res == nullptr) {
    return std::nullopt;
  }
  SocketAddress out = SocketAddress::from(res->ai_addr, res->ai_addrlen);
  ::freeaddrinfo(res);
  return out;
}

std::optional<SocketAddress> parse_socket_address(std::string_view text) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    // An unbracketed IPv6 address is ambiguous; refuse it.
    if (host.find(':') != std::string::npos) return std::nullopt;
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    return std::nullopt;
  }
  return resolve_socket_address(host, static_cast<uint16_t>(port));
}

}  // namespace qsip::quic
