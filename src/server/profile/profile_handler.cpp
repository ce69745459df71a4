#include "server/profile/profile_handler.hpp"

#include "core/json_writer.hpp"
#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/profile/device_actions.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/profile/profile_store.hpp"
#include "server/profile/profile_update.hpp"
#include "server/profile/profile_view.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {
void fail(Request& r, ErrorCode code, std::string detail) {
  r.session.answer_error(r.stream_id, core::Failure{code, std::move(detail), std::string(r.message.message_id), {}});
}
}  // namespace

void ProfileHandler::handle(Request& request) {
  auto action = request.message.payload_string("action");
  if (action == "set") return set(request);
  if (action == "get") return get(request);
  if (action == "list_devices") return list_devices(request);
  if (action == "rename_device") return rename_device(request);
  if (action == "remove_device") return remove_device(request);
  fail(request, ErrorCode::kActionNotSupported, "payload.action: " + std::string(action));
}

void ProfileHandler::set(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  if (!context.writer || !context.reader) return fail(r, ErrorCode::kServiceUnavailable, "USER_PROFILE: no store");
  // For set, the target is implicitly the sender (draft 5.25).
  auto target = r.message.payload_string("target_user_id");
  if (!target.empty() && target != session.user_id())
    return fail(r, ErrorCode::kInsufficientPermissions, "payload.target_user_id: a user sets only its own profile");
  simdjson::dom::object data;
  if (r.message.payload["profile_data"].get(data))
    return fail(r, ErrorCode::kMalformedPayload, "payload.profile_data: required");

  const std::string& user = session.user_id();
  std::int64_t now = unix_now_ms();
  Profile profile;
  std::optional<core::Outcome<ProfileChange>> outcome;
  bool expired = false;
  try {
    // Read, merge and write in one writer task: two devices setting at
    // once each merge into the other's result instead of overwriting it.
    context.writer->run_sync([&](store::SqliteDatabase& db) {
      ProfileStore store(db);
      profile = store.load(user);
      expired = clear_expired_status(profile, now);
      outcome.emplace(apply_profile_data(profile, data));
      if (outcome->ok() && (expired || !outcome->value().empty())) store.save(user, profile, now);
    });
  } catch (const std::exception& e) {
    return fail(r, ErrorCode::kDatabaseError, std::string("USER_PROFILE: ") + e.what());
  }
  if (!outcome->ok()) {
    auto failure = outcome->failure();
    failure.target_message_id = std::string(r.message.message_id);
    return session.answer_error(r.stream_id, failure);
  }
  auto& change = outcome->value();
  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object().key("changed_fields").begin_array();
  for (const auto& f : change.fields) w.value(f);
  w.end_array().end_object();
  session.answer_receipt(r.stream_id, r.message.message_id, "ok", extra);

  if (expiry_ && profile.status_expires_at_ms) expiry_->schedule(profile.status_expires_at_ms);
  if (!context.directory || !context.mailer) return;
  if (expired)
    for (const char* f : kCustomStatusFields) change.fields.emplace_back(f);
  context.reader->end_open_reads();
  notifier_.notify(context.identity, *context.directory, *context.mailer, *context.reader,
                   ProfileNotice{user, profile, change.fields, change.visibility, session.device_id(),
                                 session.connection_id()});
}

void ProfileHandler::get(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  if (!context.reader) return fail(r, ErrorCode::kServiceUnavailable, "USER_PROFILE: no store");
  std::string target(r.message.payload_string("target_user_id"));
  if (target.empty()) target = session.user_id();
  std::string profile_data;
  try {
    auto& db = *context.reader;
    db.end_open_reads();
    Audience audience = Audience::kOwner;
    if (target != session.user_id()) {
      if (!AccountStore(db).user(target)) return fail(r, ErrorCode::kUserNotFound, "payload.target_user_id: no user " + target);
      audience = contacts_.are_contacts(db, session.user_id(), target) ? Audience::kContact : Audience::kOther;
    }
    Profile profile = ProfileStore(db).load(target);
    // Never shown once expired, whether or not the sweep has run yet.
    if (clear_expired_status(profile, unix_now_ms()) && expiry_) expiry_->schedule(unix_now_ms());
    profile_data = profile_data_json(profile, audience);
  } catch (const std::exception& e) {
    return fail(r, ErrorCode::kDatabaseError, std::string("USER_PROFILE: ") + e.what());
  }
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object()
      .member("target_message_id", r.message.message_id)
      .member("action", "get")
      .member("target_user_id", target)
      .key("profile_data").raw(profile_data)
      .end_object();
  session.answer_data(r.stream_id, "USER_PROFILE", payload);
}

}  // namespace qsip::server
