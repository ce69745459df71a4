#include "server/profile/device_actions.hpp"

#include <chrono>
#include <ctime>

#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "server/accounts/account_store.hpp"
#include "server/audit/audit_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/profile/profile_store.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

std::string iso_seconds(std::int64_t t) {
  return core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(t)));
}

void fail(Request& r, ErrorCode code, std::string detail) {
  r.session.answer_error(r.stream_id, core::Failure{code, std::move(detail), std::string(r.message.message_id), {}});
}

// A server-originated USER_PROFILE to the user's other devices (16.3).
void tell_other_devices(Request& r, const std::string& payload) {
  auto& context = r.session.context();
  if (!context.directory || !context.mailer) return;
  std::string id = context.identity.new_message_id();
  std::string now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = "USER_PROFILE";
  f.from_user_id = context.identity.server_id();
  f.from_device_id = context.identity.node_id();
  f.to_user_id = r.session.user_id();
  send_to_user(*context.directory, *context.mailer, r.session.user_id(),
               make_frame_bytes(core::encode_frame(core::build_envelope(f, payload))), Delivery::kReliable,
               r.session.connection_id());
}

}  // namespace

void list_devices(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  if (!context.reader) return fail(r, ErrorCode::kServiceUnavailable, "USER_PROFILE: no store");
  std::vector<DeviceRecord> devices;
  try {
    context.reader->end_open_reads();
    devices = AccountStore(*context.reader).devices(session.user_id());
  } catch (const std::exception& e) {
    return fail(r, ErrorCode::kDatabaseError, std::string("USER_PROFILE: ") + e.what());
  }
  std::vector<DeviceAddress> online;
  if (context.directory) online = context.directory->devices(session.user_id());
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object()
      .member("target_message_id", r.message.message_id)
      .member("action", "list_devices")
      .key("devices").begin_array();
  for (const auto& d : devices) {
    bool is_online = false;
    for (const auto& o : online) is_online = is_online || o.device_id == d.device_id;
    w.begin_object()
        .member("device_id", d.device_id)
        .member("name", d.name)
        .key("device_info").raw(d.device_info_json)
        .key("capabilities").raw(d.capabilities_json)
        .member("supports_datagrams", d.supports_datagrams)
        .member("first_seen", iso_seconds(d.first_seen))
        .member("last_seen", iso_seconds(d.last_seen))
        .member("online", is_online)
        .member("current", d.device_id == session.device_id())
        .end_object();
  }
  w.end_array().end_object();
  session.answer_data(r.stream_id, "USER_PROFILE", payload);
}

void rename_device(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  if (!context.writer) return fail(r, ErrorCode::kServiceUnavailable, "USER_PROFILE: no store");
  std::string user = session.user_id(), device(r.message.payload_string("device_id")),
              name(r.message.payload_string("device_name"));
  bool renamed = false;
  try {
    context.writer->run_sync([&](store::SqliteDatabase& db) { renamed = AccountStore(db).rename_device(user, device, name); });
  } catch (const std::exception& e) {
    return fail(r, ErrorCode::kDatabaseError, std::string("USER_PROFILE: ") + e.what());
  }
  if (!renamed) return fail(r, ErrorCode::kResourceNotFound, "payload.device_id: no device " + device + " of " + user);
  std::string extra;
  core::JsonWriter(extra).begin_object().member("device_id", device).member("device_name", name).end_object();
  session.answer_receipt(r.stream_id, r.message.message_id, "ok", extra);
  std::string notice;
  core::JsonWriter(notice)
      .begin_object()
      .member("action", "rename_device")
      .member("device_id", device)
      .member("device_name", name)
      .member("origin_device_id", session.device_id())
      .end_object();
  tell_other_devices(r, notice);
}

void remove_device(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  if (!context.writer) return fail(r, ErrorCode::kServiceUnavailable, "USER_PROFILE: no store");
  std::string user = session.user_id(), device(r.message.payload_string("device_id"));
  // The answer could not reach a connection closed by its own request.
  if (device == session.device_id())
    return fail(r, ErrorCode::kInvalidActionForState,
                "payload.device_id: cannot remove the device you are using; remove it from another device");
  bool removed = false;
  int revoked = 0;
  try {
    // Delete, revoke and record in one task: a removed device never keeps a
    // usable token, and the audit log says so whenever the removal happened.
    context.writer->run_sync([&](store::SqliteDatabase& db) {
      AccountStore accounts(db);
      removed = accounts.remove_device(user, device);
      if (!removed) return;
      revoked = accounts.revoke_device_tokens(user, device, static_cast<std::int64_t>(std::time(nullptr)));
      AuditEvent event;
      event.event_type = kAuditDeviceRemoved;
      event.actor_user_id = user;
      event.actor_device_id = session.device_id();
      event.target_resource_type = "device";
      event.target_resource_id = user + "/" + device;
      event.ip_address = session.peer_address();
      append_audit_event(db, event);
      event.event_type = kAuditTokenRevoked;
      event.target_resource_type = "device_tokens";
      std::string details;
      core::JsonWriter(details)
          .begin_object()
          .member("cause", "device_removed")
          .member("recorded_tokens", revoked)
          .end_object();
      event.details_json = details;
      append_audit_event(db, event);
    });
  } catch (const std::exception& e) {
    return fail(r, ErrorCode::kDatabaseError, std::string("USER_PROFILE: ") + e.what());
  }
  if (!removed) return fail(r, ErrorCode::kResourceNotFound, "payload.device_id: no device " + device + " of " + user);
  // At once, not at the revocation watcher's next round.
  if (context.directory && context.mailer)
    for (const auto& d : context.directory->devices(user))
      if (d.device_id == device) context.mailer->close(d.connection_id, kAppErrorRevoked);
  std::string extra;
  core::JsonWriter(extra).begin_object().member("device_id", device).member("revoked_tokens", revoked).end_object();
  session.answer_receipt(r.stream_id, r.message.message_id, "ok", extra);
  std::string notice;
  core::JsonWriter(notice)
      .begin_object()
      .member("action", "remove_device")
      .member("device_id", device)
      .member("origin_device_id", session.device_id())
      .end_object();
  tell_other_devices(r, notice);
}

}  // namespace qsip::server
