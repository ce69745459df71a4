// Cryptographically secure random bytes for connection IDs, secrets and
// tokens (GnuTLS's generator).
#pragma once

#include <cstddef>
#include <cstdint>

namespace qsip::quic {

// Fills dest with random bytes. Throws std::runtime_error if GnuTLS fails,
// which only happens when the system RNG is unusable.
void random_bytes(uint8_t* dest, size_t len);

}  // namespace qsip::quic
