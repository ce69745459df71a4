#pragma once
// The SFrame cipher suites of RFC 9605 section 4.5 (registry of section 8.1)
// and their AEAD: AES-CTR with a truncated HMAC tag (suites 1-3, section
// 4.5.1) or AES-GCM (suites 4-5). Primitives come from Nettle.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "media/bytes.hpp"

namespace qsip::media {

enum class CipherSuite : std::uint16_t {
  aes_128_ctr_hmac_sha256_80 = 1,
  aes_128_ctr_hmac_sha256_64 = 2,
  aes_128_ctr_hmac_sha256_32 = 3,
  aes_128_gcm_sha256_128 = 4,
  aes_256_gcm_sha512_128 = 5,
};

// The suite calls use when nothing else is agreed: AES-128-GCM is what
// hardware accelerates everywhere, its 16-byte tag is the strongest of the
// 128-bit suites, and at 48 kbit/s of Opus the 6 bytes it costs over
// suite 1 are noise.
inline constexpr CipherSuite default_cipher_suite = CipherSuite::aes_128_gcm_sha256_128;

enum class HashFunction { sha256, sha512 };

// The sizes of RFC 9605 section 4.5: Nh (hash output), Nk (AEAD key), Nn
// (nonce), Nt (tag), and for the CTR+HMAC suites Nka (the AES part of the key).
struct CipherSuiteParams {
  CipherSuite suite;
  HashFunction hash;
  std::size_t hash_size;
  std::size_t key_size;
  std::size_t nonce_size;
  std::size_t tag_size;
  bool ctr_hmac;
  std::size_t enc_key_size;
};

// The suite's name in RFC 9605's registry (section 8.1), e.g.
// "AES_128_GCM_SHA256_128": what KEY_EXCHANGE `cipher_suite` carries.
const char* cipher_suite_name(CipherSuite suite);
// The suite of a registry name (case-insensitive) or of its id written in
// decimal ("4"); nullopt for anything else.
std::optional<CipherSuite> cipher_suite_from_name(std::string_view name);

// Parameters of a registered suite id, nullopt for any other.
std::optional<CipherSuiteParams> cipher_suite_params(std::uint16_t suite_id);
const CipherSuiteParams& cipher_suite_params(CipherSuite suite);

// AEAD.Encrypt: ciphertext followed by the tag. `key` must be Nk bytes and
// `nonce` Nn bytes (std::invalid_argument otherwise: a programming error).
Bytes aead_seal(const CipherSuiteParams& suite, ByteView key, ByteView nonce, ByteView aad,
                ByteView plaintext);

// AEAD.Decrypt: the plaintext, or nullopt when the input is shorter than a tag
// or the tag does not verify (compared in constant time).
std::optional<Bytes> aead_open(const CipherSuiteParams& suite, ByteView key, ByteView nonce,
                               ByteView aad, ByteView ciphertext_and_tag);

}  // namespace qsip::media
