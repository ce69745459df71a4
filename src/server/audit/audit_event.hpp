// One security-relevant event (draft 12): who did what to which resource,
// from where, and whether it succeeded. Rows are append-only; a later issue
// queries them and checks their hash chain.
#pragma once

#include <cstdint>
#include <string>

namespace qsip::server {

// event_type values recorded today (docs/auth.md "Audit events").
inline constexpr const char* kAuditLoginSuccess = "login_success";
inline constexpr const char* kAuditLoginFailure = "login_failure";
inline constexpr const char* kAuditTokenRevoked = "token_revoked";
inline constexpr const char* kAuditDeviceRemoved = "device_removed";

struct AuditEvent {
  std::int64_t time_ms = 0;  // Unix milliseconds; 0: when it is recorded
  std::string event_type;
  std::string actor_user_id;    // who acted (empty: the operator, or unknown)
  std::string actor_device_id;
  std::string target_resource_type;  // "user", "device", "token"
  std::string target_resource_id;
  std::string ip_address;       // empty when not known
  std::string status = "success";  // "success" or "failure"
  std::string failure_reason;
  std::string details_json = "{}";  // a JSON object
};

}  // namespace qsip::server
