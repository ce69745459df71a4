#include "core/envelope_builder.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/json_writer.hpp"

namespace qsip::core {
namespace {
void optional_member(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) w.member(key, value);
}
}  // namespace

void append_envelope(std::string& out, const EnvelopeFields& f, std::string_view payload_json) {
  JsonWriter w(out);
  w.begin_object();
  w.member("qsip_version", "1.0");
  w.member("message_id", f.message_id);
  w.member("timestamp", f.timestamp);
  w.key("from").begin_object();
  w.member("user_id", f.from_user_id);
  w.member("device_id", f.from_device_id);
  optional_member(w, "display_name", f.from_display_name);
  w.end_object();
  w.key("to").begin_object();
  optional_member(w, "user_id", f.to_user_id);
  optional_member(w, "device_id", f.to_device_id);
  optional_member(w, "group_id", f.to_group_id);
  optional_member(w, "channel_id", f.to_channel_id);
  optional_member(w, "call_center_id", f.to_call_center_id);
  optional_member(w, "server_id", f.to_server_id);
  w.end_object();
  w.member("type", f.type);
  optional_member(w, "session_id", f.session_id);
  w.key("payload").raw(payload_json.empty() ? std::string_view("{}") : payload_json);
  w.end_object();
}

std::string build_envelope(const EnvelopeFields& fields, std::string_view payload_json) {
  std::string out;
  out.reserve(256 + payload_json.size());
  append_envelope(out, fields, payload_json);
  return out;
}

std::string build_error(const Failure& failure, EnvelopeFields fields) {
  std::string payload;
  JsonWriter w(payload);
  w.begin_object();
  w.member("code", static_cast<std::int64_t>(to_number(failure.code)));
  w.member("reason", reason_phrase(failure.code));
  if (!failure.detail.empty()) w.member("detail", failure.detail);
  if (!failure.target_message_id.empty()) w.member("target_message_id", failure.target_message_id);
  w.end_object();
  fields.type = "ERROR";
  fields.session_id = failure.session_id;
  return build_envelope(fields, payload);
}

std::string build_receipt(EnvelopeFields fields, std::string_view target_message_id, std::string_view status,
                          std::string_view extra_json) {
  std::string payload;
  JsonWriter w(payload);
  w.begin_object();
  w.member("target_message_id", target_message_id);
  w.member("status", status);
  w.end_object();
  // Splice the extra members in before the closing brace.
  if (extra_json.size() > 2 && extra_json.front() == '{' && extra_json.back() == '}') {
    payload.pop_back();
    payload += ',';
    payload.append(extra_json.substr(1));
  }
  fields.type = "RECEIPT";
  return build_envelope(fields, payload);
}

std::string format_timestamp(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(ms);
  auto frac = (ms - secs).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", secs, frac);
}

}  // namespace qsip::core
