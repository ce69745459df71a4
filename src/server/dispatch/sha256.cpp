#include "server/dispatch/sha256.hpp"

#include <array>
#include <stdexcept>

namespace qsip::server {

Sha256::Sha256() {
  if (gnutls_hash_init(&hash_, GNUTLS_DIG_SHA256) < 0) throw std::runtime_error("GnuTLS: cannot start SHA-256");
}

Sha256::~Sha256() {
  if (hash_) gnutls_hash_deinit(hash_, nullptr);
}

void Sha256::update(std::string_view bytes) {
  if (!bytes.empty()) gnutls_hash(hash_, bytes.data(), bytes.size());
}

namespace {
std::string hex(const std::array<unsigned char, 32>& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}
}  // namespace

std::string Sha256::hex_digest() {
  std::array<unsigned char, 32> digest{};
  gnutls_hash_output(hash_, digest.data());
  return hex(digest);
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
  gnutls_hash_fast(GNUTLS_DIG_SHA256, bytes.data(), bytes.size(), digest.data());
  return hex(digest);
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace qsip::server
