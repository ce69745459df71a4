// An ES256 signing key for the files tests, written to a temporary PEM
// file (JwtKeys loads keys from files).
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/auth/jwt.hpp"

namespace qsip::server::testing {

inline void load_test_key(JwtKeys& keys, const std::filesystem::path& dir) {
  gnutls_x509_privkey_t key;
  gnutls_x509_privkey_init(&key);
  gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
  gnutls_datum_t pem{};
  gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &pem);
  auto path = dir / "signing-key.pem";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<char*>(pem.data), pem.size);
  gnutls_free(pem.data);
  gnutls_x509_privkey_deinit(key);
  keys.load_es256_private_key(path.string());
}

inline std::string token_for(const JwtKeys& keys, const std::string& user, std::int64_t ttl = 3600,
                             const std::string& jti = "t-1") {
  JwtClaims c;
  c.sub = user;
  c.jti = jti;
  c.iat = std::time(nullptr) - 60;
  c.exp = std::time(nullptr) + ttl;
  return keys.sign(c);
}

}  // namespace qsip::server::testing
