// SHA-256 on GnuTLS: incremental (gnutls_hash), so an upload is hashed as
// its bytes arrive and never needs to be read back, or at once (audit
// records' chain hashes).
#pragma once

#include <gnutls/crypto.h>

#include <string>
#include <string_view>

namespace qsip::server {

class Sha256 {
 public:
  Sha256();  // throws std::runtime_error when GnuTLS cannot start a hash
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // The digest of everything given, as 64 lowercase hex digits. Call once.
  std::string hex_digest();

 private:
  gnutls_hash_hd_t hash_ = nullptr;
};

// The SHA-256 of `bytes` at once, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// True for 64 hex digits (either case).
bool is_sha256_hex(std::string_view text);

}  // namespace qsip::server
