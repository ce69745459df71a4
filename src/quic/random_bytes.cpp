// GnuTLS-backed random bytes.
#include "quic/random_bytes.hpp"

#include <gnutls/crypto.h>

#include <stdexcept>

namespace qsip::quic {

void random_bytes(uint8_t* dest, size_t len) {
  // GNUTLS_RND_RANDOM is the fast per-thread generator GnuTLS uses for
  // nonces and keys; fine for CIDs and secrets.
  if (gnutls_rnd(GNUTLS_RND_RANDOM, dest, len) != 0) {
    throw std::runtime_error("gnutls_rnd failed");
  }
}

}  // namespace qsip::quic
