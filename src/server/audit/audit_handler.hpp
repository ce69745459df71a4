// AUDIT_EVENT from clients (draft 5.21, docs/audit.md "Over QSIP"): server
// administrators submit events (recorded with them as `submitted_by`) and
// query the log with the extension action "query" (draft 10.2); anyone
// else is refused 4014.
#pragma once

#include <string>
#include <vector>

#include "server/audit/audit_log.hpp"
#include "server/dispatch/handler.hpp"

namespace qsip::server {

// Bounds of a submitted event (4001 naming the field beyond them; details
// larger than kMaxAuditDetailsBytes: 4004).
inline constexpr std::size_t kMaxAuditEventTypeBytes = 128;
inline constexpr std::size_t kMaxAuditFieldBytes = 256;
inline constexpr std::size_t kMaxAuditTextBytes = 1024;  // user_agent, failure_reason
inline constexpr std::size_t kMaxAuditDetailsBytes = 8192;
// Query pages: at most this many events, and never a frame beyond the wire limit.
inline constexpr std::int64_t kMaxAuditQueryLimit = 500;
inline constexpr std::int64_t kDefaultAuditQueryLimit = 100;

class AuditHandler : public Handler {
 public:
  AuditHandler(AuditLog& log, std::vector<std::string> server_admins)
      : log_(log), admins_(std::move(server_admins)) {}
  void handle(Request& request) override;

 private:
  void submit(Request& request);
  void query(Request& request);

  AuditLog& log_;
  std::vector<std::string> admins_;
};

}  // namespace qsip::server
