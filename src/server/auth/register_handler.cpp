#include "server/auth/register_handler.hpp"

#include <chrono>
#include <ctime>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "server/dispatch/client_session.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {
ErrorCode code_for(JwtError e) {
  switch (e) {
    case JwtError::kExpired: return ErrorCode::kTokenExpired;
    case JwtError::kMalformed:
    case JwtError::kUnsupportedAlgorithm:
    case JwtError::kBadSignature: return ErrorCode::kInvalidToken;
    default: return ErrorCode::kUnauthorized;
  }
}
}  // namespace

RegisterHandler::RegisterHandler(const JwtKeys& keys, AuthSettings settings, std::function<std::int64_t()> now)
    : keys_(keys), settings_(std::move(settings)), now_(std::move(now)) {
  if (!now_) now_ = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

void RegisterHandler::handle(Request& request) {
  const auto& msg = request.message;
  auto& session = request.session;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  // One connection is one device: a REGISTER may refresh the token, not change who is speaking.
  if (session.registered() && (msg.from_user_id != session.user_id() || msg.from_device_id != session.device_id()))
    return fail(ErrorCode::kInsufficientPermissions, "from: this connection is registered as " + session.user_id() + "/" +
                                                         session.device_id());
  std::int64_t now = now_();
  JwtVerdict verdict = keys_.verify(msg.payload_string("auth_token"), now, settings_.issuer, settings_.audience);
  if (!verdict.ok()) return fail(code_for(verdict.error), verdict.detail);
  if (verdict.claims.sub != msg.from_user_id)
    return fail(ErrorCode::kUnauthorized, "auth_token: sub is not from.user_id");
  if (!verdict.claims.device.empty() && verdict.claims.device != msg.from_device_id)
    return fail(ErrorCode::kUnauthorized, "auth_token: issued for another device");

  session.set_registered(std::string(msg.from_user_id), std::string(msg.from_device_id), verdict.claims.exp);

  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object();
  w.member("server_id", session.context().identity.server_id());
  w.member("node_id", session.context().identity.node_id());
  w.member("token_expires_at",
           core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(verdict.claims.exp))));
  if (verdict.claims.exp - now < settings_.refresh_window_seconds && keys_.can_sign()) {
    JwtClaims fresh = verdict.claims;
    fresh.iat = now;
    fresh.nbf = 0;
    fresh.exp = now + settings_.refreshed_token_ttl_seconds;
    fresh.jti = session.context().identity.new_message_id();
    w.member("token", keys_.sign(fresh));
    w.member("token_expires_in", settings_.refreshed_token_ttl_seconds);
  }
  w.end_object();
  session.answer_receipt(request.stream_id, msg.message_id, "registered", extra);
}

}  // namespace qsip::server
