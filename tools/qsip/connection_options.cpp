#include "connection_options.hpp"

#include <array>
#include <cstdlib>
#include <iostream>
#include <random>

#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"
#include "core/uuid.hpp"

namespace qsip::cli {

void ConnectionOptions::add_to(CLI::App& app) {
  app.add_option("--server", server, "QSIP server as HOST:PORT (UDP)")->capture_default_str();
  auto* ca = app.add_option("--ca", ca_file, "verify the server certificate against this PEM CA bundle");
  auto* pin_opt = app.add_option("--pin", pin, "accept only the server certificate with this SHA-256 (hex, of its DER)");
  auto* insecure_opt = app.add_flag("--insecure", insecure, "accept any server certificate (development only)");
  ca->excludes(insecure_opt);
  pin_opt->excludes(insecure_opt);
  app.add_option("--token", token, "auth token (JWT) for REGISTER")->envname("QSIP_TOKEN");
  app.add_option("--user", user_id, "from.user_id (default: the token's sub)");
  app.add_option("--device", device_id, "from.device_id")->capture_default_str();
  app.add_option("--timeout", timeout_ms, "connect and request timeout, ms")->capture_default_str();
}

ClientOptions ConnectionOptions::client_options() const {
  ClientOptions o;
  auto colon = server.rfind(':');
  std::string host = colon == std::string::npos ? server : server.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  o.host = host;
  o.port = colon == std::string::npos ? 4433 : static_cast<std::uint16_t>(std::stoi(server.substr(colon + 1)));
  o.ca_file = ca_file;
  o.pin_sha256 = pin;
  o.insecure = insecure;
  o.connect_timeout = std::chrono::milliseconds(timeout_ms);
  o.request_timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

namespace {
// The sub claim of a JWT, read without verifying: only to default --user.
std::string token_subject(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return {};
  std::string b64 = token.substr(first + 1, second - first - 1);
  std::string bytes;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-' ? 62 : c == '_' ? 63 : -1;
    if (v < 0) return {};
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  auto m = Message::parse("{\"type\":\"JWT\",\"payload\":" + bytes + "}");
  if (!m) return {};
  return std::string(m->payload_string("sub").value_or(""));
}
}  // namespace

std::string ConnectionOptions::effective_user() const { return user_id.empty() ? token_subject(token) : user_id; }

std::unique_ptr<Client> connect_client(const ConnectionOptions& options) {
  try {
    auto client = std::make_unique<Client>(options.client_options());
    client->connect();
    return client;
  } catch (const std::exception& e) {
    std::cerr << "qsip: " << e.what() << '\n';
    return nullptr;
  }
}

std::string new_message_id() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::array<std::uint8_t, 16> bytes{};
  std::uint64_t a = random(), b = random();
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
    bytes[static_cast<std::size_t>(i + 8)] = static_cast<std::uint8_t>(b >> (8 * i));
  }
  return core::uuid_v4(bytes);
}

std::string make_envelope(const ConnectionOptions& options, std::string_view type, std::string_view payload_json,
                          std::string_view to_user, std::string_view session_id) {
  std::string id = new_message_id();
  std::string now = core::format_timestamp(std::chrono::system_clock::now());
  std::string user = options.effective_user();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = type;
  f.from_user_id = user.empty() ? std::string_view("anonymous") : std::string_view(user);
  f.from_device_id = options.device_id;
  f.to_user_id = to_user;
  f.session_id = session_id;
  return core::build_envelope(f, payload_json);
}

Message register_client(Client& client, const ConnectionOptions& options) {
  auto payload = core::builders::RegisterPayload()
                     .auth_token(options.token)
                     .device_info(core::builders::RegisterPayloadDeviceInfo().app("qsip-cli 0.1").os("Linux"))
                     .supports_datagrams(true);
  return client.request(make_envelope(options, "REGISTER", payload.json())).get();
}

}  // namespace qsip::cli
