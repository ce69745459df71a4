#include "server/auth/jwt.hpp"

#include <gtest/gtest.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "server/auth/base64url.hpp"

using namespace qsip::server;

namespace {

std::string write_temp_key() {
  gnutls_x509_privkey_t key;
  gnutls_x509_privkey_init(&key);
  gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
  gnutls_datum_t pem{};
  gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &pem);
  auto path = std::filesystem::temp_directory_path() / ("qsip-jwt-test-" + std::to_string(::getpid()) + "-" +
                                                         std::to_string(std::rand()) + ".pem");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<char*>(pem.data), pem.size);
  gnutls_free(pem.data);
  gnutls_x509_privkey_deinit(key);
  return path.string();
}

struct Keys {
  Keys() {
    path = write_temp_key();
    keys.load_es256_private_key(path);
  }
  ~Keys() { std::filesystem::remove(path); }
  std::string path;
  JwtKeys keys;
};

JwtClaims claims(std::int64_t exp) {
  JwtClaims c;
  c.sub = "u-alice";
  c.jti = "t-1";
  c.exp = exp;
  return c;
}

std::string hs256(std::string_view payload_json, const std::string& secret) {
  std::string input = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_encode(payload_json);
  unsigned char mac[32];
  gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret.data(), secret.size(), input.data(), input.size(), mac);
  return input + "." + base64url_encode(std::string_view(reinterpret_cast<char*>(mac), 32));
}

}  // namespace

TEST(Base64url, RoundTripsAndRejectsOtherAlphabets) {
  for (std::string s : std::initializer_list<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00", 3)})
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("ab+/"));
  EXPECT_FALSE(base64url_decode("abcde"));
}

TEST(Jwt, Es256SignsStandardSixtyFourByteSignaturesAndVerifies) {
  Keys k;
  std::string token = k.keys.sign(claims(2'000'000'000));
  auto sig = base64url_decode(token.substr(token.rfind('.') + 1));
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 64u);
  JwtVerdict v = k.keys.verify(token, 1'700'000'000);
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(v.claims.sub, "u-alice");
  EXPECT_EQ(v.claims.jti, "t-1");
  EXPECT_EQ(v.claims.exp, 2'000'000'000);
}

TEST(Jwt, RejectsExpiredTamperedAndForeignTokens) {
  Keys k, other;
  std::string token = k.keys.sign(claims(1'700'000'000));
  EXPECT_EQ(k.keys.verify(token, 1'700'000'100).error, JwtError::kExpired);
  EXPECT_TRUE(k.keys.verify(token, 1'700'000'010).ok());  // within leeway
  std::string tampered = token;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_NE(k.keys.verify(tampered, 1'600'000'000).error, JwtError::kNone);
  EXPECT_EQ(other.keys.verify(token, 1'600'000'000).error, JwtError::kBadSignature);
  EXPECT_EQ(k.keys.verify("not-a-token", 0).error, JwtError::kMalformed);
  EXPECT_EQ(k.keys.verify("a.b.c.d", 0).error, JwtError::kMalformed);
}

TEST(Jwt, Hs256OnlyWhenEnabledAndNeverWithTheEcKey) {
  Keys k;
  std::string token = hs256(R"({"sub":"u-bob","exp":2000000000})", "s3cret-s3cret-s3cret");
  EXPECT_EQ(k.keys.verify(token, 1'700'000'000).error, JwtError::kUnsupportedAlgorithm);
  k.keys.set_hs256_secret("s3cret-s3cret-s3cret");
  JwtVerdict v = k.keys.verify(token, 1'700'000'000);
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(v.claims.sub, "u-bob");
  EXPECT_EQ(k.keys.verify(hs256(R"({"sub":"u-bob","exp":2000000000})", "wrong"), 1'700'000'000).error,
            JwtError::kBadSignature);
  std::string none = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(R"({"sub":"x","exp":2000000000})") + ".";
  EXPECT_EQ(k.keys.verify(none, 1'700'000'000).error, JwtError::kUnsupportedAlgorithm);
}

TEST(Jwt, ChecksIssuerAudienceAndNotBefore) {
  Keys k;
  JwtClaims c = claims(2'000'000'000);
  c.iss = "https://idp.example";
  c.aud = {"qsip"};
  c.nbf = 1'800'000'000;
  std::string token = k.keys.sign(c);
  EXPECT_EQ(k.keys.verify(token, 1'700'000'000).error, JwtError::kNotYetValid);
  EXPECT_TRUE(k.keys.verify(token, 1'900'000'000, "https://idp.example", "qsip").ok());
  EXPECT_EQ(k.keys.verify(token, 1'900'000'000, "https://other", "qsip").error, JwtError::kWrongIssuer);
  EXPECT_EQ(k.keys.verify(token, 1'900'000'000, "https://idp.example", "other").error, JwtError::kWrongAudience);
}
