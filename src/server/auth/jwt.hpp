// JSON Web Tokens (RFC 7519, JWS compact form) signed and verified with
// GnuTLS: ES256 (ECDSA P-256, raw R||S signatures as RFC 7518 requires) and
// HS256. (Debian's libjwt-gnutls writes 132-byte ES256 signatures that other
// implementations reject, so it is not used.)
#pragma once

#include "core/error_registry.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::server {

struct JwtClaims {
  std::string sub;     // the user_id (wire profile 5)
  std::string jti;     // identifies the token for revocation
  std::string iss;
  std::vector<std::string> aud;
  std::string device;  // optional qsip claim: the device the token is bound to
  std::int64_t exp = 0;
  std::int64_t nbf = 0;
  std::int64_t iat = 0;
};

enum class JwtError { kNone, kMalformed, kUnsupportedAlgorithm, kBadSignature, kExpired, kNotYetValid, kWrongIssuer, kWrongAudience };

// The draft's code for a token that failed verification (REGISTER, bearer
// tokens): 4012 expired, 4013 not a valid token, 4011 otherwise.
core::ErrorCode error_code_for(JwtError e);

struct JwtVerdict {
  JwtError error = JwtError::kNone;
  std::string detail;  // what was wrong, for the ERROR detail and the audit log
  JwtClaims claims;    // filled when the token parsed (even if expired)
  bool ok() const { return error == JwtError::kNone; }
};

// The keys a server signs and verifies with. Move-only: owns GnuTLS keys.
class JwtKeys {
 public:
  JwtKeys();
  ~JwtKeys();
  JwtKeys(JwtKeys&&) noexcept;
  JwtKeys& operator=(JwtKeys&&) noexcept;

  // An ECDSA P-256 private key in PEM (its public half verifies). Throws
  // std::runtime_error with the reason when the file cannot be used.
  void load_es256_private_key(const std::string& pem_path);
  // An extra ES256 verification key (public key PEM), e.g. an identity provider's.
  void add_es256_public_key(std::string_view pem);
  void set_hs256_secret(std::string secret);

  bool can_sign() const;
  // Signs the claims as an ES256 token. Requires can_sign().
  std::string sign(const JwtClaims& claims) const;
  // Checks signature, exp and nbf (with `leeway_seconds`), and iss/aud when expected_* are non-empty.
  JwtVerdict verify(std::string_view token, std::int64_t now, const std::string& expected_issuer = {},
                    const std::string& expected_audience = {}, std::int64_t leeway_seconds = 30) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qsip::server
