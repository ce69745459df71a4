// One security-relevant event (draft 12, the AUDIT_EVENT payload of draft
// 5.21): who did what to which resource, from where, and whether it
// succeeded. Rows are appended to a hash chain (docs/audit.md).
#pragma once

#include <cstdint>
#include <string>

namespace qsip::server {

// event_type values the server records (docs/audit.md "Events").
inline constexpr const char* kAuditLoginSuccess = "login_success";
inline constexpr const char* kAuditLoginFailure = "login_failure";
inline constexpr const char* kAuditTokenRevoked = "token_revoked";
inline constexpr const char* kAuditDeviceRemoved = "device_removed";
inline constexpr const char* kAuditFileDownloaded = "file_downloaded";
inline constexpr const char* kAuditDataExport = "data_export";
inline constexpr const char* kAuditAdminAction = "admin_action";
inline constexpr const char* kAuditPruned = "audit_pruned";

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
  std::string user_agent;       // draft 5.21 user_agent; empty when not known
  // Who handed the event in when it is not the server's own record: an
  // admin's AUDIT_EVENT ("user/device"), empty otherwise.
  std::string submitted_by;
};

}  // namespace qsip::server
