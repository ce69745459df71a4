// Client credentials and certificate pin check.
#include "quic/tls_client_credentials.hpp"

#include <gnutls/crypto.h>

#include <array>
#include <stdexcept>

namespace qsip::quic {

TlsClientCredentials::TlsClientCredentials(const std::string& ca_file) {
  int rv = gnutls_certificate_allocate_credentials(&cred_);
  if (rv != 0) throw std::runtime_error(std::string("TLS credentials: ") + gnutls_strerror(rv));
  if (!ca_file.empty()) {
    rv = gnutls_certificate_set_x509_trust_file(cred_, ca_file.c_str(), GNUTLS_X509_FMT_PEM);
    if (rv <= 0) {
      gnutls_certificate_free_credentials(cred_);
      throw std::runtime_error("TLS: cannot load CA file " + ca_file + ": " +
                               (rv < 0 ? gnutls_strerror(rv) : "no certificate in it"));
    }
  }
}

TlsClientCredentials::~TlsClientCredentials() { gnutls_certificate_free_credentials(cred_); }

bool peer_certificate_matches_pin(gnutls_session_t session, const std::string& pin_hex) {
  unsigned n = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(session, &n);
  if (certs == nullptr || n == 0) return false;
  std::array<unsigned char, 32> digest{};
  if (gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, digest.data()) != 0) {
    return false;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  if (pin_hex.size() != 64) return false;
  for (size_t i = 0; i < digest.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(pin_hex[2 * i]) != kHex[digest[i] >> 4] ||
        lower(pin_hex[2 * i + 1]) != kHex[digest[i] & 0xf]) {
      return false;
    }
  }
  return true;
}

}  // namespace qsip::quic
