#include "server/auth/register_handler.hpp"

#include <chrono>
#include <ctime>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/frame_decoder.hpp"
#include "core/payload_builders.hpp"
#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {
// Puts the device in the directory (closing the connection it had before,
// if any: the same device reconnecting replaces its old connection) and
// tells the user's other devices (draft 16.1) with SYNC `notify`.
void announce_device(ClientSession& session, const core::MessageView& msg, const std::string& token_id) {
  auto& context = session.context();
  if (!context.directory) return;
  std::string user(msg.from_user_id), device(msg.from_device_id);
  if (auto previous = context.directory->attach(user, device, session.connection_id(), token_id);
      previous && context.mailer)
    context.mailer->close(*previous, kAppErrorReplaced);
  if (!context.mailer) return;
  std::string now = ServerIdentity::now();
  std::string data;
  core::JsonWriter w(data);
  w.begin_object().member("event", "device_registered");
  auto device_info = msg.payload["device_info"];
  if (!device_info.error()) w.key("device_info").raw(simdjson::to_string(device_info.value_unsafe()));
  auto capabilities = msg.payload["capabilities"];
  if (!capabilities.error() && capabilities.is_array()) w.key("capabilities").raw(simdjson::to_string(capabilities.value_unsafe()));
  w.end_object();
  auto payload = core::builders::SyncPayload().action("notify").device_id(device).timestamp(now).data(core::RawJson{data});
  for (const auto& other : context.directory->devices(user)) {
    if (other.connection_id == session.connection_id()) continue;
    std::string id = context.identity.new_message_id();
    core::EnvelopeFields f;
    f.message_id = id;
    f.timestamp = now;
    f.type = "SYNC";
    f.from_user_id = context.identity.server_id();
    f.from_device_id = context.identity.node_id();
    f.to_user_id = user;
    f.to_device_id = other.device_id;
    context.mailer->deliver(other.connection_id, make_frame_bytes(core::encode_frame(core::build_envelope(f, payload.json()))),
                            Delivery::kReliable);
  }
}

// The account behind a verified token: it must exist (closed registration),
// not be suspended, and the token must not be revoked. nullopt: allowed.
std::optional<std::string> check_account(WorkerContext& context, bool open_registration, const JwtClaims& claims,
                                         const std::string& device, std::int64_t now) {
  if (!context.reader) return std::nullopt;
  AccountStore accounts(*context.reader);
  auto user = accounts.user(claims.sub);
  if (!user && !open_registration) return "auth_token: no account " + claims.sub + " (registration is closed)";
  if (user && user->suspended && (user->suspended_until == 0 || user->suspended_until > now))
    return "account " + claims.sub + " is suspended";
  if (accounts.is_revoked(claims.jti, claims.sub, device, claims.iat)) return std::string("auth_token: revoked");
  return std::nullopt;
}

// Creates the account (open registration) and records the device: its
// info, capabilities, datagram support, first and last seen (draft 16.1).
void record_device(WorkerContext& context, const core::MessageView& msg, std::int64_t now) {
  if (!context.writer) return;
  DeviceRecord device;
  device.user_id = std::string(msg.from_user_id);
  device.device_id = std::string(msg.from_device_id);
  auto info = msg.payload["device_info"];
  if (!info.error()) device.device_info_json = simdjson::to_string(info.value_unsafe());
  auto capabilities = msg.payload["capabilities"];
  if (!capabilities.error() && capabilities.is_array()) device.capabilities_json = simdjson::to_string(capabilities.value_unsafe());
  bool datagrams = false;
  device.supports_datagrams = !msg.payload["supports_datagrams"].get(datagrams) && datagrams;
  device.first_seen = device.last_seen = now;
  auto task = [device](store::SqliteDatabase& db) {
    AccountStore accounts(db);
    accounts.add_user({device.user_id, "", device.first_seen});  // no-op when it exists
    accounts.upsert_device(device);
  };
  // A user's first REGISTER creates the account (open registration): that
  // must be committed before `registered` is answered, or a message sent to
  // the user right after would find no such user (4041). Once per user.
  bool known = true;
  if (context.reader) {
    context.reader->end_open_reads();
    known = AccountStore(*context.reader).user(device.user_id).has_value();
  }
  if (known) {
    context.writer->submit(std::move(task));
  } else {
    context.writer->run_sync(std::move(task));
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
  auto audit = [&](const char* event_type, std::string failure_reason, std::string details_json) {
    if (!audit_) return;
    AuditEvent event;
    event.event_type = event_type;
    event.actor_user_id = std::string(msg.from_user_id);
    event.actor_device_id = std::string(msg.from_device_id);
    event.target_resource_type = "user";
    event.target_resource_id = std::string(msg.from_user_id);
    event.ip_address = session.peer_address();
    event.status = failure_reason.empty() ? "success" : "failure";
    event.failure_reason = std::move(failure_reason);
    event.details_json = std::move(details_json);
    audit_->record(std::move(event));
  };
  auto fail = [&](ErrorCode code, std::string detail) {
    audit(kAuditLoginFailure, detail, "{\"code\":" + std::to_string(core::to_number(code)) + "}");
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  // One connection is one device: a REGISTER may refresh the token, not change who is speaking.
  if (session.registered() && (msg.from_user_id != session.user_id() || msg.from_device_id != session.device_id()))
    return fail(ErrorCode::kInsufficientPermissions, "from: this connection is registered as " + session.user_id() + "/" +
                                                         session.device_id());
  std::int64_t now = now_();
  JwtVerdict verdict = keys_.verify(msg.payload_string("auth_token"), now, settings_.issuer, settings_.audience);
  if (!verdict.ok()) return fail(error_code_for(verdict.error), verdict.detail);
  if (verdict.claims.sub != msg.from_user_id)
    return fail(ErrorCode::kUnauthorized, "auth_token: sub is not from.user_id");
  if (!verdict.claims.device.empty() && verdict.claims.device != msg.from_device_id)
    return fail(ErrorCode::kUnauthorized, "auth_token: issued for another device");

  bool was_registered = session.registered();
  if (auto refusal = check_account(session.context(), settings_.open_registration, verdict.claims,
                                   std::string(msg.from_device_id), now))
    return fail(ErrorCode::kUnauthorized, *refusal);
  record_device(session.context(), msg, now);

  session.set_registered(std::string(msg.from_user_id), std::string(msg.from_device_id), verdict.claims.exp);
  {
    std::string details;
    core::JsonWriter(details).begin_object().member("token_id", verdict.claims.jti).member("refresh", was_registered).end_object();
    audit(kAuditLoginSuccess, {}, std::move(details));
  }
  if (!was_registered) announce_device(session, msg, verdict.claims.jti);

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
  if (turn_) w.key("turn").raw(turn_->json_for(msg.from_user_id, now));
  w.end_object();
  session.answer_receipt(request.stream_id, msg.message_id, "registered", extra);
  if (!was_registered)
    for (auto* observer : session.context().observers) observer->on_registered(session);
}

}  // namespace qsip::server
