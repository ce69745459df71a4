// How the audit log treats what it records (docs/audit.md, [audit] in
// docs/configuration.md). Header-only: the configuration names it without
// linking the audit library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qsip::server {

// What is kept of an event's IP address (draft 13: pseudonymize where possible).
enum class AuditIpMode : std::uint8_t {
  full,       // the address as the connection saw it
  truncated,  // the host part zeroed: /24 for IPv4, /48 for IPv6
  hashed,     // "h:" + HMAC-SHA256(secret, address), hex, 32 digits
  none,       // not kept at all
};

inline std::optional<AuditIpMode> parse_audit_ip_mode(std::string_view name) {
  if (name == "full") return AuditIpMode::full;
  if (name == "truncated") return AuditIpMode::truncated;
  if (name == "hashed") return AuditIpMode::hashed;
  if (name == "none") return AuditIpMode::none;
  return std::nullopt;
}

struct AuditSettings {
  AuditIpMode ip_mode = AuditIpMode::full;
  std::string ip_hash_key;  // the secret of `hashed` (DATA/audit-ip-key)
};

}  // namespace qsip::server
