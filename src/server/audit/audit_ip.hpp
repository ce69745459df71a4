// IP pseudonymization of audit events ([audit] ip_addresses, docs/audit.md),
// applied before an event is written.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "server/audit/audit_settings.hpp"

namespace qsip::server {

// What is stored for `address` under `settings`: the address itself, its
// network (/24 for IPv4, /48 for IPv6; an IPv4-mapped IPv6 address counts
// as IPv4), "h:" and 32 hex digits of HMAC-SHA256(key, address), or "".
// An address that is not one (unparseable) is kept only in `full` mode.
std::string pseudonymize_ip(std::string_view address, const AuditSettings& settings);

// The secret of `hashed`: DATA/audit-ip-key, 32 random bytes created 0600 on
// first use, so a pseudonym stays the same across restarts.
std::string load_or_create_audit_ip_key(const std::filesystem::path& data_dir);

}  // namespace qsip::server
