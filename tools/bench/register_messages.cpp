#include "register_messages.hpp"

#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"

namespace qsip::bench {

RegisterMessages::RegisterMessages(const std::string& signing_key_file) {
  keys_.load_es256_private_key(signing_key_file);
  auto now = std::chrono::system_clock::now();
  stamp_ = core::format_timestamp(now);
  epoch_ = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
}

std::string RegisterMessages::make(const std::string& user, const std::string& device,
                                   const std::string& message_id) const {
  server::JwtClaims claims;
  claims.sub = user;
  claims.iat = epoch_;
  claims.exp = epoch_ + 3600;
  auto payload = core::builders::RegisterPayload().auth_token(keys_.sign(claims)).device_info(
      core::RawJson{R"({"app":"qsip-bench"})"});
  core::EnvelopeFields f;
  f.message_id = message_id;
  f.timestamp = stamp_;
  f.type = "REGISTER";
  f.from_user_id = user;
  f.from_device_id = device;
  return core::build_envelope(f, payload.json());
}

}  // namespace qsip::bench
