#include "server/auth/turn_credentials.hpp"

#include <gnutls/crypto.h>

#include <array>
#include <stdexcept>

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t chunk = static_cast<std::uint32_t>(data[i]) << 16;
    if (i + 1 < size) chunk |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace

std::string turn_credential(std::string_view secret, std::string_view username) {
  std::array<unsigned char, 20> digest{};
  if (gnutls_hmac_fast(GNUTLS_MAC_SHA1, secret.data(), secret.size(), username.data(), username.size(), digest.data()) < 0)
    throw std::runtime_error("HMAC-SHA1 failed");
  return base64(digest.data(), digest.size());
}

std::string TurnCredentials::json_for(std::string_view user_id, std::int64_t now) const {
  const std::string username = std::to_string(now + settings_.ttl_seconds) + ":" + std::string(user_id);
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("urls").begin_array();
  for (const auto& url : settings_.urls) w.value(url);
  w.end_array();
  w.member("username", username).member("credential", turn_credential(settings_.secret, username));
  w.member("ttl", settings_.ttl_seconds).end_object();
  return out;
}

}  // namespace qsip::server
