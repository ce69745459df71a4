#include "media/sframe_cipher_suite.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include <array>
#include <stdexcept>

namespace qsip::media {
namespace {

constexpr std::size_t nonce_size = 12;

constexpr std::array<CipherSuiteParams, 5> suites{{
    {CipherSuite::aes_128_ctr_hmac_sha256_80, HashFunction::sha256, 32, 48, nonce_size, 10, true, 16},
    {CipherSuite::aes_128_ctr_hmac_sha256_64, HashFunction::sha256, 32, 48, nonce_size, 8, true, 16},
    {CipherSuite::aes_128_ctr_hmac_sha256_32, HashFunction::sha256, 32, 48, nonce_size, 4, true, 16},
    {CipherSuite::aes_128_gcm_sha256_128, HashFunction::sha256, 32, 16, nonce_size, 16, false, 0},
    {CipherSuite::aes_256_gcm_sha512_128, HashFunction::sha512, 64, 32, nonce_size, 16, false, 0},
}};

void check_sizes(const CipherSuiteParams& suite, ByteView key, ByteView nonce) {
  if (key.size() != suite.key_size || nonce.size() != suite.nonce_size) {
    throw std::invalid_argument("SFrame AEAD: key or nonce of the wrong size");
  }
}

// AES-128-CTR over `data` with the 16-byte initial counter nonce || 0x00000000
// (RFC 9605 section 4.5.1).
Bytes aes_ctr(ByteView enc_key, ByteView nonce, ByteView data) {
  aes128_ctx aes{};
  aes128_set_encrypt_key(&aes, enc_key.data());
  std::array<std::uint8_t, AES_BLOCK_SIZE> counter{};
  std::copy(nonce.begin(), nonce.end(), counter.begin());
  Bytes out(data.size());
  if (!data.empty()) {
    ctr_crypt(&aes, reinterpret_cast<nettle_cipher_func*>(&aes128_encrypt), AES_BLOCK_SIZE,
              counter.data(), data.size(), out.data(), data.data());
  }
  return out;
}

// The tag of RFC 9605 section 4.5.1: HMAC-SHA256 over the lengths of the AAD,
// the ciphertext and the tag (8 bytes each), the nonce, the AAD and the
// ciphertext, truncated to Nt bytes.
std::array<std::uint8_t, SHA256_DIGEST_SIZE> ctr_hmac_tag(const CipherSuiteParams& suite,
                                                          ByteView auth_key, ByteView nonce,
                                                          ByteView aad, ByteView ciphertext) {
  Bytes lengths;
  lengths.reserve(24);
  append_big_endian(lengths, aad.size(), 8);
  append_big_endian(lengths, ciphertext.size(), 8);
  append_big_endian(lengths, suite.tag_size, 8);
  hmac_sha256_ctx hmac{};
  hmac_sha256_set_key(&hmac, auth_key.size(), auth_key.data());
  hmac_sha256_update(&hmac, lengths.size(), lengths.data());
  hmac_sha256_update(&hmac, nonce.size(), nonce.data());
  hmac_sha256_update(&hmac, aad.size(), aad.data());
  hmac_sha256_update(&hmac, ciphertext.size(), ciphertext.data());
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> tag{};
  hmac_sha256_digest(&hmac, tag.size(), tag.data());
  return tag;
}

// One code path for both GCM key sizes: Nettle names the functions per size.
template <typename Context>
struct Gcm;
template <>
struct Gcm<gcm_aes128_ctx> {
  static void set_key(gcm_aes128_ctx* c, const std::uint8_t* k) { gcm_aes128_set_key(c, k); }
  static void set_iv(gcm_aes128_ctx* c, ByteView iv) { gcm_aes128_set_iv(c, iv.size(), iv.data()); }
  static void update(gcm_aes128_ctx* c, ByteView d) { gcm_aes128_update(c, d.size(), d.data()); }
  static void encrypt(gcm_aes128_ctx* c, std::size_t n, std::uint8_t* o, const std::uint8_t* i) {
    gcm_aes128_encrypt(c, n, o, i);
  }
  static void decrypt(gcm_aes128_ctx* c, std::size_t n, std::uint8_t* o, const std::uint8_t* i) {
    gcm_aes128_decrypt(c, n, o, i);
  }
  static void digest(gcm_aes128_ctx* c, std::uint8_t* o) { gcm_aes128_digest(c, GCM_DIGEST_SIZE, o); }
};
template <>
struct Gcm<gcm_aes256_ctx> {
  static void set_key(gcm_aes256_ctx* c, const std::uint8_t* k) { gcm_aes256_set_key(c, k); }
  static void set_iv(gcm_aes256_ctx* c, ByteView iv) { gcm_aes256_set_iv(c, iv.size(), iv.data()); }
  static void update(gcm_aes256_ctx* c, ByteView d) { gcm_aes256_update(c, d.size(), d.data()); }
  static void encrypt(gcm_aes256_ctx* c, std::size_t n, std::uint8_t* o, const std::uint8_t* i) {
    gcm_aes256_encrypt(c, n, o, i);
  }
  static void decrypt(gcm_aes256_ctx* c, std::size_t n, std::uint8_t* o, const std::uint8_t* i) {
    gcm_aes256_decrypt(c, n, o, i);
  }
  static void digest(gcm_aes256_ctx* c, std::uint8_t* o) { gcm_aes256_digest(c, GCM_DIGEST_SIZE, o); }
};

template <typename Context>
Bytes gcm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
  Context ctx{};
  Gcm<Context>::set_key(&ctx, key.data());
  Gcm<Context>::set_iv(&ctx, nonce);
  Gcm<Context>::update(&ctx, aad);
  Bytes out(plaintext.size() + GCM_DIGEST_SIZE);
  if (!plaintext.empty()) Gcm<Context>::encrypt(&ctx, plaintext.size(), out.data(), plaintext.data());
  Gcm<Context>::digest(&ctx, out.data() + plaintext.size());
  return out;
}

template <typename Context>
std::optional<Bytes> gcm_open(ByteView key, ByteView nonce, ByteView aad, ByteView sealed) {
  const std::size_t length = sealed.size() - GCM_DIGEST_SIZE;
  Context ctx{};
  Gcm<Context>::set_key(&ctx, key.data());
  Gcm<Context>::set_iv(&ctx, nonce);
  Gcm<Context>::update(&ctx, aad);
  Bytes plaintext(length);
  if (length > 0) Gcm<Context>::decrypt(&ctx, length, plaintext.data(), sealed.data());
  std::array<std::uint8_t, GCM_DIGEST_SIZE> tag{};
  Gcm<Context>::digest(&ctx, tag.data());
  if (memeql_sec(tag.data(), sealed.data() + length, GCM_DIGEST_SIZE) == 0) return std::nullopt;
  return plaintext;
}

}  // namespace

std::optional<CipherSuiteParams> cipher_suite_params(std::uint16_t suite_id) {
  for (const auto& s : suites) {
    if (static_cast<std::uint16_t>(s.suite) == suite_id) return s;
  }
  return std::nullopt;
}

const CipherSuiteParams& cipher_suite_params(CipherSuite suite) {
  for (const auto& s : suites) {
    if (s.suite == suite) return s;
  }
  throw std::invalid_argument("SFrame: unknown cipher suite");
}

Bytes aead_seal(const CipherSuiteParams& suite, ByteView key, ByteView nonce, ByteView aad,
                ByteView plaintext) {
  check_sizes(suite, key, nonce);
  if (!suite.ctr_hmac) {
    return suite.key_size == 16 ? gcm_seal<gcm_aes128_ctx>(key, nonce, aad, plaintext)
                                : gcm_seal<gcm_aes256_ctx>(key, nonce, aad, plaintext);
  }
  Bytes out = aes_ctr(key.first(suite.enc_key_size), nonce, plaintext);
  const auto tag = ctr_hmac_tag(suite, key.subspan(suite.enc_key_size), nonce, aad, out);
  out.insert(out.end(), tag.begin(), tag.begin() + static_cast<std::ptrdiff_t>(suite.tag_size));
  return out;
}

std::optional<Bytes> aead_open(const CipherSuiteParams& suite, ByteView key, ByteView nonce,
                               ByteView aad, ByteView ciphertext_and_tag) {
  check_sizes(suite, key, nonce);
  if (ciphertext_and_tag.size() < suite.tag_size) return std::nullopt;
  if (!suite.ctr_hmac) {
    return suite.key_size == 16 ? gcm_open<gcm_aes128_ctx>(key, nonce, aad, ciphertext_and_tag)
                                : gcm_open<gcm_aes256_ctx>(key, nonce, aad, ciphertext_and_tag);
  }
  const ByteView ciphertext = ciphertext_and_tag.first(ciphertext_and_tag.size() - suite.tag_size);
  const ByteView received_tag = ciphertext_and_tag.last(suite.tag_size);
  // Authenticate before decrypting: a forged frame costs one HMAC, no AES.
  const auto tag = ctr_hmac_tag(suite, key.subspan(suite.enc_key_size), nonce, aad, ciphertext);
  if (memeql_sec(tag.data(), received_tag.data(), suite.tag_size) == 0) return std::nullopt;
  return aes_ctr(key.first(suite.enc_key_size), nonce, ciphertext);
}

const char* cipher_suite_name(CipherSuite suite) {
  switch (suite) {
    case CipherSuite::aes_128_ctr_hmac_sha256_80: return "AES_128_CTR_HMAC_SHA256_80";
    case CipherSuite::aes_128_ctr_hmac_sha256_64: return "AES_128_CTR_HMAC_SHA256_64";
    case CipherSuite::aes_128_ctr_hmac_sha256_32: return "AES_128_CTR_HMAC_SHA256_32";
    case CipherSuite::aes_128_gcm_sha256_128: return "AES_128_GCM_SHA256_128";
    case CipherSuite::aes_256_gcm_sha512_128: return "AES_256_GCM_SHA512_128";
  }
  return "unknown";
}

std::optional<CipherSuite> cipher_suite_from_name(std::string_view name) {
  for (std::uint16_t id = 1; id <= 5; ++id) {
    const auto suite = static_cast<CipherSuite>(id);
    const std::string_view known = cipher_suite_name(suite);
    const bool same = known.size() == name.size() &&
                      std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
                        return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
                      });
    if (same || name == std::to_string(id)) return suite;
  }
  return std::nullopt;
}

}  // namespace qsip::media
