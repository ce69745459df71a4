#pragma once
// SFrame key derivation (RFC 9605 section 4.4.2) and nonce formation
// (section 4.4.3), with HKDF from Nettle over the suite's hash.
#include <cstdint>

#include "media/bytes.hpp"
#include "media/sframe_cipher_suite.hpp"

namespace qsip::media {

// The key and salt one KID encrypts with.
struct SframeKeyMaterial {
  Bytes key;   // Nk bytes
  Bytes salt;  // Nn bytes
};

// "SFrame 1.0 Secret key " || KID (8 bytes) || cipher suite (2 bytes).
Bytes sframe_key_label(const CipherSuiteParams& suite, std::uint64_t kid);
// "SFrame 1.0 Secret salt " || KID (8 bytes) || cipher suite (2 bytes).
Bytes sframe_salt_label(const CipherSuiteParams& suite, std::uint64_t kid);
// HKDF-Extract with an empty salt over the base key.
Bytes sframe_secret(const CipherSuiteParams& suite, ByteView base_key);
// sframe_key = HKDF-Expand(secret, key label, Nk), sframe_salt = HKDF-Expand(secret, salt label, Nn).
SframeKeyMaterial derive_sframe_key_material(const CipherSuiteParams& suite, std::uint64_t kid,
                                             ByteView base_key);
// The salt XOR the counter written big-endian on Nn bytes.
Bytes sframe_nonce(ByteView salt, std::uint64_t counter);

}  // namespace qsip::media
