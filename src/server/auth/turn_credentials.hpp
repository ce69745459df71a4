// TURN credentials for the REGISTER receipt (draft 7.5; docs/calls.md
// "TURN"), in the time-limited shared-secret scheme that coturn's
// `use-auth-secret` / `static-auth-secret` understands (the "TURN REST API"):
//   username   = "<expiry unix time>:<user_id>"
//   credential = base64(HMAC-SHA1(secret, username))
// The receipt carries {urls, username, credential, ttl}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::server {

struct TurnSettings {
  std::vector<std::string> urls;
  std::string secret;
  std::int64_t ttl_seconds = 86400;
};

class TurnCredentials {
 public:
  explicit TurnCredentials(TurnSettings settings) : settings_(std::move(settings)) {}
  // The `turn` object of the REGISTER receipt for `user_id` at `now` (Unix seconds).
  std::string json_for(std::string_view user_id, std::int64_t now) const;

 private:
  TurnSettings settings_;
};

// base64 (RFC 4648 section 4, with padding) of HMAC-SHA1(secret, username).
std::string turn_credential(std::string_view secret, std::string_view username);

}  // namespace qsip::server
