#include "server/audit/audit_handler.hpp"

#include <algorithm>
#include <cmath>

#include "core/json_writer.hpp"
#include "core/wire_limits.hpp"
#include "server/audit/audit_query.hpp"
#include "server/audit/audit_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"

namespace qsip::server {

namespace {

using core::ErrorCode;
using core::Failure;

Failure refuse(const Request& r, ErrorCode code, std::string detail) {
  return Failure{code, std::move(detail), std::string(r.message.message_id), {}};
}

// A string member bounded to `max` bytes; `error` set (naming the field) when too long.
std::string bounded(const Request& r, std::string_view key, std::size_t max, std::string& error) {
  std::string_view value = r.message.payload_string(key);
  if (value.size() > max && error.empty())
    error = "payload." + std::string(key) + ": longer than " + std::to_string(max) + " bytes";
  return std::string(value);
}

// The answer's room for events: the wire limit less the envelope and a margin.
constexpr std::size_t kQueryEventsBudget = core::kMaxFrameBytes - 2048;

}  // namespace

void AuditHandler::handle(Request& r) {
  auto& session = r.session;
  if (std::find(admins_.begin(), admins_.end(), session.user_id()) == admins_.end())
    return session.answer_error(
        r.stream_id, refuse(r, ErrorCode::kInsufficientPermissions, "AUDIT_EVENT: server administrators only"));
  std::string_view action = r.message.payload_string("action");
  if (action == "query") return query(r);
  simdjson::dom::element present;
  if (!r.message.payload["action"].get(present) && action != "record")
    return session.answer_error(r.stream_id, refuse(r, ErrorCode::kMalformedPayload,
                                                    "payload.action: must be query or record (absent: record)"));
  submit(r);
}

void AuditHandler::submit(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  std::string error;
  AuditEvent e;
  e.event_type = bounded(r, "event_type", kMaxAuditEventTypeBytes, error);
  e.actor_user_id = bounded(r, "actor_user_id", kMaxAuditFieldBytes, error);
  e.actor_device_id = bounded(r, "actor_device_id", kMaxAuditFieldBytes, error);
  e.target_resource_type = bounded(r, "target_resource_type", kMaxAuditFieldBytes, error);
  e.target_resource_id = bounded(r, "target_resource_id", kMaxAuditFieldBytes, error);
  e.ip_address = bounded(r, "ip_address", kMaxAuditFieldBytes, error);
  e.user_agent = bounded(r, "user_agent", kMaxAuditTextBytes, error);
  e.failure_reason = bounded(r, "failure_reason", kMaxAuditTextBytes, error);
  std::string_view status = r.message.payload_string("status");
  e.status = status.empty() ? "success" : std::string(status);
  if (e.event_type.empty() && error.empty()) error = "payload.event_type: required";
  if (!error.empty()) return session.answer_error(r.stream_id, refuse(r, ErrorCode::kMalformedPayload, error));
  simdjson::dom::object details;
  if (!r.message.payload["details"].get(details)) {
    e.details_json = simdjson::minify(details);
    if (e.details_json.size() > kMaxAuditDetailsBytes)
      return session.answer_error(
          r.stream_id, refuse(r, ErrorCode::kMessageTooLarge,
                              "payload.details: larger than " + std::to_string(kMaxAuditDetailsBytes) + " bytes"));
  }
  e.submitted_by = session.user_id() + "/" + session.device_id();
  if (!context.writer)
    return session.answer_error(r.stream_id, refuse(r, ErrorCode::kServiceUnavailable, "AUDIT_EVENT: no store"));
  prepare_audit_event(e, log_.settings());
  std::int64_t id = 0;
  try {
    // Answered after the commit: an ok means the record is in the chain.
    context.writer->run_sync([&](store::SqliteDatabase& db) { id = append_audit_event(db, e); });
  } catch (const std::exception& ex) {
    return session.answer_error(r.stream_id,
                                refuse(r, ErrorCode::kDatabaseError, std::string("AUDIT_EVENT: ") + ex.what()));
  }
  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object().member("audit_id", id).end_object();
  session.answer_receipt(r.stream_id, r.message.message_id, "ok", extra);
}

void AuditHandler::query(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  auto fail = [&](ErrorCode code, std::string detail) { session.answer_error(r.stream_id, refuse(r, code, std::move(detail))); };
  AuditFilter f;
  for (auto [key, slot] : {std::pair{"since", &f.since_ms}, std::pair{"until", &f.until_ms}}) {
    std::string_view text = r.message.payload_string(key);
    simdjson::dom::element present;
    if (r.message.payload[key].get(present) || present.is_null()) continue;
    *slot = parse_timestamp_ms(text);
    if (!*slot) return fail(ErrorCode::kMalformedPayload, std::string("payload.") + key + ": expected an ISO 8601 UTC time");
  }
  std::string error;
  f.actor_user_id = bounded(r, "actor_user_id", kMaxAuditFieldBytes, error);
  f.event_type = bounded(r, "event_type", kMaxAuditEventTypeBytes, error);
  f.target_resource_type = bounded(r, "target_resource_type", kMaxAuditFieldBytes, error);
  f.target_resource_id = bounded(r, "target_resource_id", kMaxAuditFieldBytes, error);
  if (!error.empty()) return fail(ErrorCode::kMalformedPayload, error);
  std::int64_t limit = kDefaultAuditQueryLimit;
  simdjson::dom::element value;
  if (!r.message.payload["limit"].get(value) && !value.is_null()) {
    double d = 0;
    if (value.get(d) || !std::isfinite(d) || std::floor(d) != d || d < 1 || d > kMaxAuditQueryLimit)
      return fail(ErrorCode::kMalformedPayload, "payload.limit: must be 1 to " + std::to_string(kMaxAuditQueryLimit));
    limit = static_cast<std::int64_t>(d);
  }
  if (!r.message.payload["cursor"].get(value) && !value.is_null()) {
    std::string_view cursor;
    std::int64_t after = 0;
    bool ok = !value.get(cursor) && !cursor.empty() && cursor.size() <= 18 &&
              std::all_of(cursor.begin(), cursor.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (ok) after = std::stoll(std::string(cursor));
    if (!ok) return fail(ErrorCode::kMalformedPayload, "payload.cursor: expected a next_cursor from an earlier answer");
    f.after_id = after;
  }
  if (!context.reader) return fail(ErrorCode::kServiceUnavailable, "AUDIT_EVENT: no store");
  // One more than asked: whether there is a next page.
  f.limit = limit + 1;
  std::string events;
  std::int64_t count = 0;
  std::int64_t last_id = 0;
  bool more = false;
  try {
    context.reader->end_open_reads();  // every commit so far
    for_each_audit_event(*context.reader, f, [&](const StoredAuditEvent& row) {
      std::string json = audit_event_json(row);
      if (count == limit || events.size() + json.size() + 1 > kQueryEventsBudget) {
        more = true;
        return false;
      }
      if (count) events += ',';
      events += json;
      last_id = row.id;
      ++count;
      return true;
    });
  } catch (const std::exception& ex) {
    context.reader->end_open_reads();
    return fail(ErrorCode::kDatabaseError, std::string("AUDIT_EVENT: ") + ex.what());
  }
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("action", "query").member("target_message_id", r.message.message_id);
  w.key("events").raw("[" + events + "]");
  w.key("next_cursor");
  if (more)
    w.value(std::to_string(last_id));
  else
    w.null();
  w.end_object();
  session.answer_data(r.stream_id, "AUDIT_EVENT", payload);
}

}  // namespace qsip::server
