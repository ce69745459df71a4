// REGISTER (draft 5.1, 8): verifies the auth_token, binds the connection to
// its user and device, and answers RECEIPT `registered` with the server id,
// the token's expiry, when it is near expiry a fresh token (8.3), and
// TURN credentials when [turn] is configured (7.5).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "server/audit/audit_log.hpp"
#include "server/auth/jwt.hpp"
#include "server/auth/turn_credentials.hpp"
#include "server/dispatch/handler.hpp"

namespace qsip::server {

struct AuthSettings {
  std::string issuer;    // checked when set
  std::string audience;  // checked when set
  std::int64_t refresh_window_seconds = 300;  // a token expiring sooner is refreshed in the receipt
  std::int64_t refreshed_token_ttl_seconds = 3600;
  // open: a validly signed token creates its user; closed: the user must exist.
  bool open_registration = true;
};

class RegisterHandler : public Handler {
 public:
  // `now` returns Unix seconds (injectable for tests).
  RegisterHandler(const JwtKeys& keys, AuthSettings settings, std::function<std::int64_t()> now = {});
  void handle(Request& request) override;
  // Logins, successful and failed, are recorded here when set (draft 12).
  void set_audit_log(AuditLog* audit) { audit_ = audit; }
  // When set, the receipt carries `turn` credentials (draft 7.5, docs/calls.md).
  void set_turn(const TurnCredentials* turn) { turn_ = turn; }

 private:
  const JwtKeys& keys_;
  AuthSettings settings_;
  std::function<std::int64_t()> now_;
  AuditLog* audit_ = nullptr;
  const TurnCredentials* turn_ = nullptr;
};

}  // namespace qsip::server
