#include "server/listen_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace qsip::server {
namespace {

bool fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return false;
}

bool parse_port(std::string_view text, std::uint16_t& port, std::string* why) {
  if (text.empty()) return fail(why, "missing port");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return fail(why, "port must be a number from 0 to 65535");
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* why) {
  auto reject = [why](const char* reason) -> std::optional<ListenAddress> {
    fail(why, reason);
    return std::nullopt;
  };
  ListenAddress address;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return reject("missing ']' after the IPv6 address");
    if (close + 1 >= text.size() || text[close + 1] != ':') return reject("expected ':PORT' after ']'");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    address.family = AF_INET6;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return reject("expected ADDR:PORT");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return reject("an IPv6 address must be written in brackets: [ADDR]:PORT");
    }
    address.family = AF_INET;
  }
  if (host.empty()) return reject("missing address before the port");
  address.host.assign(host);
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(address.family, address.host.c_str(), buf) != 1) {
    return reject(address.family == AF_INET6 ? "not a numeric IPv6 address"
                                             : "not a numeric IPv4 address (host names are not accepted)");
  }
  if (!parse_port(port, address.port, why)) return std::nullopt;
  return address;
}

std::string ListenAddress::to_string() const {
  std::string out;
  if (family == AF_INET6) {
    out = "[" + host + "]";
  } else {
    out = host;
  }
  out += ':';
  out += std::to_string(port);
  return out;
}

socklen_t ListenAddress::to_sockaddr(sockaddr_storage& out) const {
  std::memset(&out, 0, sizeof out);
  if (family == AF_INET6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    inet_pton(AF_INET6, host.c_str(), &sin6.sin6_addr);
    std::memcpy(&out, &sin6, sizeof sin6);
    return sizeof sin6;
  }
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  inet_pton(AF_INET, host.c_str(), &sin.sin_addr);
  std::memcpy(&out, &sin, sizeof sin);
  return sizeof sin;
}

std::optional<ListenAddress> listen_address_from_sockaddr(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  ListenAddress address;
  address.family = sa->sa_family;
  if (sa->sa_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof sin);
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof text);
    address.port = ntohs(sin.sin_port);
  } else if (sa->sa_family == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof sin6);
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof text);
    address.port = ntohs(sin6.sin6_port);
  } else {
    return std::nullopt;
  }
  address.host = text;
  return address;
}

}  // namespace qsip::server
