#include "server/auth/jwt.hpp"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <simdjson.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/json_writer.hpp"
#include "server/auth/base64url.hpp"

namespace qsip::server {
namespace {

constexpr std::size_t kEs256Half = 32;

gnutls_datum_t datum(std::string_view s) {
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())), static_cast<unsigned>(s.size())};
}

struct Datum {
  gnutls_datum_t d{nullptr, 0};
  ~Datum() { gnutls_free(d.data); }
  std::string_view view() const { return {reinterpret_cast<const char*>(d.data), d.size}; }
};

void check(int rc, const char* what) {
  if (rc < 0) throw std::runtime_error(std::string(what) + ": " + gnutls_strerror(rc));
}

// A big-endian integer from GnuTLS (which may carry a leading zero) as exactly 32 bytes.
std::string fixed32(std::string_view v) {
  while (v.size() > kEs256Half && v.front() == '\0') v.remove_prefix(1);
  if (v.size() > kEs256Half) throw std::runtime_error("ECDSA value longer than 32 bytes");
  return std::string(kEs256Half - v.size(), '\0') + std::string(v);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  check(gnutls_hmac_fast(GNUTLS_MAC_SHA256, key.data(), key.size(), data.data(), data.size(), out.data()), "HMAC");
  return out;
}

}  // namespace

struct JwtKeys::Impl {
  gnutls_privkey_t private_key = nullptr;
  std::vector<gnutls_pubkey_t> public_keys;
  std::string hs256_secret;
  ~Impl() {
    if (private_key) gnutls_privkey_deinit(private_key);
    for (auto* k : public_keys) gnutls_pubkey_deinit(k);
  }
};

JwtKeys::JwtKeys() : impl_(std::make_unique<Impl>()) {}
JwtKeys::~JwtKeys() = default;
JwtKeys::JwtKeys(JwtKeys&&) noexcept = default;
JwtKeys& JwtKeys::operator=(JwtKeys&&) noexcept = default;

void JwtKeys::load_es256_private_key(const std::string& pem_path) {
  std::ifstream in(pem_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read token signing key " + pem_path);
  std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  gnutls_privkey_t key = nullptr;
  check(gnutls_privkey_init(&key), "private key");
  gnutls_datum_t d = datum(pem);
  int rc = gnutls_privkey_import_x509_raw(key, &d, GNUTLS_X509_FMT_PEM, nullptr, 0);
  if (rc < 0 || gnutls_privkey_get_pk_algorithm(key, nullptr) != GNUTLS_PK_ECDSA) {
    gnutls_privkey_deinit(key);
    throw std::runtime_error("token signing key " + pem_path + " is not an ECDSA P-256 private key in PEM");
  }
  if (impl_->private_key) gnutls_privkey_deinit(impl_->private_key);
  impl_->private_key = key;
  gnutls_pubkey_t pub = nullptr;
  check(gnutls_pubkey_init(&pub), "public key");
  check(gnutls_pubkey_import_privkey(pub, key, 0, 0), "public half of the token signing key");
  impl_->public_keys.push_back(pub);
}

void JwtKeys::add_es256_public_key(std::string_view pem) {
  gnutls_pubkey_t pub = nullptr;
  check(gnutls_pubkey_init(&pub), "public key");
  gnutls_datum_t d = datum(pem);
  int rc = gnutls_pubkey_import(pub, &d, GNUTLS_X509_FMT_PEM);
  if (rc < 0) {
    gnutls_pubkey_deinit(pub);
    check(rc, "ES256 public key");
  }
  impl_->public_keys.push_back(pub);
}

void JwtKeys::set_hs256_secret(std::string secret) { impl_->hs256_secret = std::move(secret); }

bool JwtKeys::can_sign() const { return impl_->private_key != nullptr; }

std::string JwtKeys::sign(const JwtClaims& c) const {
  if (!impl_->private_key) throw std::runtime_error("no token signing key loaded");
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("sub", c.sub);
  if (!c.device.empty()) w.member("device", c.device);
  if (!c.jti.empty()) w.member("jti", c.jti);
  if (!c.iss.empty()) w.member("iss", c.iss);
  if (c.aud.size() == 1) w.member("aud", c.aud.front());
  if (c.iat) w.member("iat", c.iat);
  if (c.nbf) w.member("nbf", c.nbf);
  w.member("exp", c.exp).end_object();
  std::string signing_input = base64url_encode(R"({"alg":"ES256","typ":"JWT"})") + "." + base64url_encode(payload);
  Datum der;
  gnutls_datum_t data = datum(signing_input);
  check(gnutls_privkey_sign_data2(impl_->private_key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der.d), "ES256 signing");
  Datum r, s;
  check(gnutls_decode_rs_value(&der.d, &r.d, &s.d), "ECDSA signature");
  return signing_input + "." + base64url_encode(fixed32(r.view()) + fixed32(s.view()));
}

JwtVerdict JwtKeys::verify(std::string_view token, std::int64_t now, const std::string& expected_issuer,
                           const std::string& expected_audience, std::int64_t leeway) const {
  JwtVerdict v;
  auto fail = [&](JwtError e, std::string detail) {
    v.error = e;
    v.detail = std::move(detail);
    return v;
  };
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return fail(JwtError::kMalformed, "auth_token: not a JWS compact token");
  auto header = base64url_decode(token.substr(0, dot1));
  auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !payload || !signature) return fail(JwtError::kMalformed, "auth_token: bad base64url");

  simdjson::dom::parser parser;
  auto h = parser.parse(*header);
  if (h.error() || !h.value_unsafe().is_object()) return fail(JwtError::kMalformed, "auth_token: header is not JSON");
  std::string_view alg;
  if (h.value_unsafe()["alg"].get(alg)) return fail(JwtError::kMalformed, "auth_token: header has no alg");
  std::string algorithm(alg);
  std::string_view signing_input = token.substr(0, dot2);

  // The algorithm decides which keys may verify; a token never chooses to be
  // checked with a key of another kind (no "alg confusion").
  if (algorithm == "ES256") {
    if (signature->size() != 2 * kEs256Half) return fail(JwtError::kBadSignature, "auth_token: ES256 signature is not 64 bytes");
    gnutls_datum_t r = datum(std::string_view(*signature).substr(0, kEs256Half));
    gnutls_datum_t s = datum(std::string_view(*signature).substr(kEs256Half));
    Datum der;
    if (gnutls_encode_rs_value(&der.d, &r, &s) < 0) return fail(JwtError::kBadSignature, "auth_token: bad signature");
    gnutls_datum_t data = datum(signing_input);
    bool verified = false;
    for (auto* key : impl_->public_keys)
      if (gnutls_pubkey_verify_data2(key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der.d) >= 0) verified = true;
    if (!verified) return fail(JwtError::kBadSignature, "auth_token: signature does not verify");
  } else if (algorithm == "HS256") {
    if (impl_->hs256_secret.empty()) return fail(JwtError::kUnsupportedAlgorithm, "auth_token: HS256 is not enabled");
    if (!constant_time_equal(hmac_sha256(impl_->hs256_secret, signing_input), *signature))
      return fail(JwtError::kBadSignature, "auth_token: signature does not verify");
  } else {
    return fail(JwtError::kUnsupportedAlgorithm, "auth_token: algorithm " + algorithm + " is not accepted");
  }

  simdjson::dom::parser claims_parser;
  auto p = claims_parser.parse(*payload);
  if (p.error() || !p.value_unsafe().is_object()) return fail(JwtError::kMalformed, "auth_token: claims are not JSON");
  simdjson::dom::object claims(p.value_unsafe());
  auto string_claim = [&](const char* name, std::string& out) {
    std::string_view s;
    if (!claims[name].get(s)) out = std::string(s);
  };
  auto time_claim = [&](const char* name, std::int64_t& out) {
    auto e = claims[name];
    if (e.error()) return true;  // absent
    double d;
    if (e.get(d)) return false;  // present but not a number
    out = static_cast<std::int64_t>(d);
    return true;
  };
  string_claim("sub", v.claims.sub);
  string_claim("jti", v.claims.jti);
  string_claim("iss", v.claims.iss);
  string_claim("device", v.claims.device);
  std::string_view aud_one;
  simdjson::dom::array aud_many;
  if (!claims["aud"].get(aud_one)) v.claims.aud.emplace_back(aud_one);
  else if (!claims["aud"].get(aud_many))
    for (auto a : aud_many)
      if (a.is_string()) v.claims.aud.emplace_back(std::string_view(a));
  if (!time_claim("exp", v.claims.exp) || !time_claim("nbf", v.claims.nbf) || !time_claim("iat", v.claims.iat))
    return fail(JwtError::kMalformed, "auth_token: exp, nbf and iat must be numbers");
  if (v.claims.sub.empty()) return fail(JwtError::kMalformed, "auth_token: no sub claim");
  if (v.claims.exp == 0) return fail(JwtError::kMalformed, "auth_token: no exp claim");
  if (now > v.claims.exp + leeway) return fail(JwtError::kExpired, "auth_token: expired");
  if (v.claims.nbf && now + leeway < v.claims.nbf) return fail(JwtError::kNotYetValid, "auth_token: not valid yet (nbf)");
  if (!expected_issuer.empty() && v.claims.iss != expected_issuer)
    return fail(JwtError::kWrongIssuer, "auth_token: issuer is not " + expected_issuer);
  if (!expected_audience.empty()) {
    bool found = false;
    for (const auto& a : v.claims.aud) found = found || a == expected_audience;
    if (!found) return fail(JwtError::kWrongAudience, "auth_token: audience is not " + expected_audience);
  }
  return v;
}

core::ErrorCode error_code_for(JwtError e) {
  switch (e) {
    case JwtError::kExpired: return core::ErrorCode::kTokenExpired;
    case JwtError::kMalformed:
    case JwtError::kUnsupportedAlgorithm:
    case JwtError::kBadSignature: return core::ErrorCode::kInvalidToken;
    default: return core::ErrorCode::kUnauthorized;
  }
}

}  // namespace qsip::server
