#include "media/sframe_key_schedule.hpp"

#include <nettle/hkdf.h>
#include <nettle/hmac.h>

#include <string_view>

namespace qsip::media {
namespace {

Bytes label(std::string_view prefix, const CipherSuiteParams& suite, std::uint64_t kid) {
  Bytes out(prefix.begin(), prefix.end());
  append_big_endian(out, kid, 8);
  append_big_endian(out, static_cast<std::uint16_t>(suite.suite), 2);
  return out;
}

// HKDF over HMAC-SHA256 or HMAC-SHA512. Nettle's HKDF takes the MAC as a
// context plus update/digest functions of a generic signature.
template <typename HmacContext>
struct HkdfHash;
template <>
struct HkdfHash<hmac_sha256_ctx> {
  static constexpr std::size_t size = SHA256_DIGEST_SIZE;
  static void set_key(hmac_sha256_ctx* c, ByteView k) { hmac_sha256_set_key(c, k.size(), k.data()); }
  static nettle_hash_update_func* update() {
    return reinterpret_cast<nettle_hash_update_func*>(&hmac_sha256_update);
  }
  static nettle_hash_digest_func* digest() {
    return reinterpret_cast<nettle_hash_digest_func*>(&hmac_sha256_digest);
  }
};
template <>
struct HkdfHash<hmac_sha512_ctx> {
  static constexpr std::size_t size = SHA512_DIGEST_SIZE;
  static void set_key(hmac_sha512_ctx* c, ByteView k) { hmac_sha512_set_key(c, k.size(), k.data()); }
  static nettle_hash_update_func* update() {
    return reinterpret_cast<nettle_hash_update_func*>(&hmac_sha512_update);
  }
  static nettle_hash_digest_func* digest() {
    return reinterpret_cast<nettle_hash_digest_func*>(&hmac_sha512_digest);
  }
};

template <typename HmacContext>
Bytes hkdf_extract_with(ByteView salt, ByteView ikm) {
  using H = HkdfHash<HmacContext>;
  HmacContext ctx{};
  H::set_key(&ctx, salt);
  Bytes prk(H::size);
  hkdf_extract(&ctx, H::update(), H::digest(), H::size, ikm.size(), ikm.data(), prk.data());
  return prk;
}

template <typename HmacContext>
Bytes hkdf_expand_with(ByteView prk, ByteView info, std::size_t length) {
  using H = HkdfHash<HmacContext>;
  HmacContext ctx{};
  H::set_key(&ctx, prk);
  Bytes okm(length);
  hkdf_expand(&ctx, H::update(), H::digest(), H::size, info.size(), info.data(), length, okm.data());
  return okm;
}

Bytes hkdf_expand(const CipherSuiteParams& suite, ByteView prk, ByteView info, std::size_t length) {
  return suite.hash == HashFunction::sha256 ? hkdf_expand_with<hmac_sha256_ctx>(prk, info, length)
                                            : hkdf_expand_with<hmac_sha512_ctx>(prk, info, length);
}

}  // namespace

Bytes sframe_key_label(const CipherSuiteParams& suite, std::uint64_t kid) {
  return label("SFrame 1.0 Secret key ", suite, kid);
}

Bytes sframe_salt_label(const CipherSuiteParams& suite, std::uint64_t kid) {
  return label("SFrame 1.0 Secret salt ", suite, kid);
}

Bytes sframe_secret(const CipherSuiteParams& suite, ByteView base_key) {
  const ByteView empty_salt{};
  return suite.hash == HashFunction::sha256 ? hkdf_extract_with<hmac_sha256_ctx>(empty_salt, base_key)
                                            : hkdf_extract_with<hmac_sha512_ctx>(empty_salt, base_key);
}

SframeKeyMaterial derive_sframe_key_material(const CipherSuiteParams& suite, std::uint64_t kid,
                                             ByteView base_key) {
  const Bytes secret = sframe_secret(suite, base_key);
  return SframeKeyMaterial{
      hkdf_expand(suite, secret, sframe_key_label(suite, kid), suite.key_size),
      hkdf_expand(suite, secret, sframe_salt_label(suite, kid), suite.nonce_size),
  };
}

Bytes sframe_nonce(ByteView salt, std::uint64_t counter) {
  Bytes nonce(salt.begin(), salt.end());
  // The counter sits in the last 8 bytes; a nonce is 12 bytes for every suite.
  for (std::size_t i = 0; i < 8 && i < nonce.size(); ++i) {
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(counter >> (8 * i));
  }
  return nonce;
}

}  // namespace qsip::media
