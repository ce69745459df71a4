#include "server/token_signing_key.hpp"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

namespace qsip::server {

std::optional<std::string> generate_token_signing_key_pem(std::string* why) {
  auto fail = [why](const char* step, int rc) -> std::optional<std::string> {
    if (why) *why = std::string(step) + ": " + gnutls_strerror(rc);
    return std::nullopt;
  };
  gnutls_x509_privkey_t key = nullptr;
  if (int rc = gnutls_x509_privkey_init(&key); rc < 0) return fail("gnutls_x509_privkey_init", rc);
  struct KeyGuard {
    gnutls_x509_privkey_t key;
    ~KeyGuard() { gnutls_x509_privkey_deinit(key); }
  } guard{key};

  if (int rc = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
      rc < 0) {
    return fail("gnutls_x509_privkey_generate", rc);
  }
  // PKCS#8 rather than the SEC1 "EC PRIVATE KEY" form: every JWT library and
  // openssl read it without being told the key type.
  gnutls_datum_t pem{nullptr, 0};
  if (int rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, nullptr, GNUTLS_PKCS_PLAIN, &pem); rc < 0) {
    return fail("gnutls_x509_privkey_export2_pkcs8", rc);
  }
  std::string text(reinterpret_cast<const char*>(pem.data), pem.size);
  gnutls_memset(pem.data, 0, pem.size);  // key material: do not leave it in freed memory
  gnutls_free(pem.data);
  return text;
}

}  // namespace qsip::server
