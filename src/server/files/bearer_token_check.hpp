// Who an HTTP request speaks for: `Authorization: Bearer <JWT>`, the token a
// client REGISTERs with, checked as REGISTER checks it (auth/jwt.hpp for
// the signature, expiry, issuer and audience; the accounts tables for
// closed registration, suspension and revocation).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/failure.hpp"
#include "server/auth/jwt.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct BearerSettings {
  std::string issuer;    // checked when set ([auth] issuer)
  std::string audience;  // checked when set ([auth] audience)
  bool open_registration = true;
};

class BearerTokenCheck {
 public:
  // `now` returns Unix seconds (injectable for tests).
  BearerTokenCheck(const JwtKeys& keys, BearerSettings settings, std::function<std::int64_t()> now = {});

  // The user_id the header value authenticates, or the failure: 4011 (no
  // bearer token, unknown or suspended account, revoked), 4012 (expired),
  // 4013 (not a valid JWS). `reader` is the calling thread's store connection.
  core::Outcome<std::string> user_of(std::string_view authorization, store::SqliteDatabase& reader) const;

 private:
  const JwtKeys& keys_;
  BearerSettings settings_;
  std::function<std::int64_t()> now_;
};

}  // namespace qsip::server
