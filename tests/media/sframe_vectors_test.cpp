// Every test vector of RFC 9605 Appendix C, as the shared vectors file holds
// them (../shared/vectors/sframe-rfc9605.json): header encodings, the
// AES-CTR-HMAC AEAD, and full SFrame encryption with key derivation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "media/sframe_cipher_suite.hpp"
#include "media/sframe_context.hpp"
#include "media/sframe_header.hpp"
#include "media/sframe_key_schedule.hpp"

namespace qsip::media {
namespace {

std::filesystem::path vectors_path() {
  return std::filesystem::path(QSIP_SOURCE_DIR) / ".." / "shared" / "vectors" / "sframe-rfc9605.json";
}

const nlohmann::json& vectors() {
  static const nlohmann::json parsed = [] {
    std::ifstream in(vectors_path());
    if (!in) throw std::runtime_error("cannot open " + vectors_path().string());
    return nlohmann::json::parse(in);
  }();
  return parsed;
}

Bytes hex(const nlohmann::json& value) {
  const std::string text = value.get<std::string>();
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(SframeVectors, FileHoldsEveryKind) {
  ASSERT_TRUE(std::filesystem::exists(vectors_path())) << vectors_path();
  EXPECT_GT(vectors().at("header").size(), 100u);
  EXPECT_EQ(vectors().at("aes_ctr_hmac").size(), 3u);
  EXPECT_EQ(vectors().at("sframe").size(), 5u);
}

TEST(SframeVectors, HeaderEncodingsRoundTrip) {
  std::size_t checked = 0;
  for (const auto& v : vectors().at("header")) {
    const SframeHeader header{v.at("kid").get<std::uint64_t>(), v.at("ctr").get<std::uint64_t>()};
    const Bytes expected = hex(v.at("encoded"));
    EXPECT_EQ(encode_sframe_header(header), expected) << v.dump();
    const auto decoded = decode_sframe_header(expected);
    ASSERT_TRUE(decoded) << v.dump();
    EXPECT_EQ(decoded->header, header) << v.dump();
    EXPECT_EQ(decoded->size, expected.size()) << v.dump();
    // Every proper prefix is too short to hold the header it announces.
    for (std::size_t n = 0; n < expected.size(); ++n) {
      EXPECT_FALSE(decode_sframe_header(ByteView(expected).first(n))) << v.dump() << " prefix " << n;
    }
    ++checked;
  }
  EXPECT_EQ(checked, vectors().at("header").size());
}

TEST(SframeVectors, AesCtrHmacAead) {
  for (const auto& v : vectors().at("aes_ctr_hmac")) {
    const auto suite = cipher_suite_params(v.at("cipher_suite").get<std::uint16_t>());
    ASSERT_TRUE(suite);
    const Bytes key = hex(v.at("key"));
    const Bytes expected_enc_key = hex(v.at("enc_key"));
    const Bytes expected_auth_key = hex(v.at("auth_key"));
    EXPECT_EQ(Bytes(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(suite->enc_key_size)),
              expected_enc_key);
    EXPECT_EQ(Bytes(key.begin() + static_cast<std::ptrdiff_t>(suite->enc_key_size), key.end()),
              expected_auth_key);
    const Bytes nonce = hex(v.at("nonce"));
    const Bytes aad = hex(v.at("aad"));
    const Bytes pt = hex(v.at("pt"));
    const Bytes ct = hex(v.at("ct"));
    EXPECT_EQ(aead_seal(*suite, key, nonce, aad, pt), ct) << v.dump();
    const auto opened = aead_open(*suite, key, nonce, aad, ct);
    ASSERT_TRUE(opened) << v.dump();
    EXPECT_EQ(*opened, pt);
  }
}

TEST(SframeVectors, FullEncryptionEverySuite) {
  for (const auto& v : vectors().at("sframe")) {
    const auto suite_id = v.at("cipher_suite").get<std::uint16_t>();
    SCOPED_TRACE("cipher suite " + std::to_string(suite_id));
    const auto suite = cipher_suite_params(suite_id);
    ASSERT_TRUE(suite);
    const auto kid = v.at("kid").get<std::uint64_t>();
    const auto ctr = v.at("ctr").get<std::uint64_t>();
    const Bytes base_key = hex(v.at("base_key"));

    EXPECT_EQ(sframe_key_label(*suite, kid), hex(v.at("sframe_key_label")));
    EXPECT_EQ(sframe_salt_label(*suite, kid), hex(v.at("sframe_salt_label")));
    EXPECT_EQ(sframe_secret(*suite, base_key), hex(v.at("sframe_secret")));
    const SframeKeyMaterial material = derive_sframe_key_material(*suite, kid, base_key);
    EXPECT_EQ(material.key, hex(v.at("sframe_key")));
    EXPECT_EQ(material.salt, hex(v.at("sframe_salt")));
    EXPECT_EQ(sframe_nonce(material.salt, ctr), hex(v.at("nonce")));

    const Bytes metadata = hex(v.at("metadata"));
    const Bytes header = encode_sframe_header(SframeHeader{kid, ctr});
    Bytes aad = header;
    aad.insert(aad.end(), metadata.begin(), metadata.end());
    EXPECT_EQ(aad, hex(v.at("aad")));

    const Bytes pt = hex(v.at("pt"));
    const Bytes expected_ct = hex(v.at("ct"));
    Bytes ct = header;
    const Bytes sealed = aead_seal(*suite, material.key, sframe_nonce(material.salt, ctr), aad, pt);
    ct.insert(ct.end(), sealed.begin(), sealed.end());
    EXPECT_EQ(ct, expected_ct);

    // The receiver context takes the vector's ciphertext as a frame off the wire.
    SframeReceiver receiver(suite->suite);
    ASSERT_TRUE(receiver.add_key(kid, base_key));
    const UnprotectResult result = receiver.unprotect(expected_ct, metadata);
    ASSERT_EQ(result.status, UnprotectStatus::ok) << to_string(result.status);
    EXPECT_EQ(result.plaintext, pt);
    EXPECT_EQ(result.header, (SframeHeader{kid, ctr}));
  }
}

}  // namespace
}  // namespace qsip::media
