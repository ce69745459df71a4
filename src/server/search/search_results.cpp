#include "server/search/search_results.hpp"

#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"

namespace qsip::server {

std::string message_result_json(const MessageHit& hit, bool with_payload) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("message_id", hit.message_id);
  w.key("from").begin_object().member("user_id", hit.sender_user).member("device_id", hit.sender_device).end_object();
  w.key("to").begin_object();
  if (!hit.to_group.empty()) {
    w.member("group_id", hit.to_group);
  } else {
    w.member("user_id", hit.to_user);
  }
  w.end_object();
  w.member("timestamp",
           core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(hit.created_at_ms))));
  if (!hit.thread_id.empty()) w.member("thread_id", hit.thread_id);
  w.member("snippet", hit.snippet);
  // SQLite's JSON functions wrote it (json_extract), or the messaging
  // module did (an edit's payload): valid JSON, inserted as it is.
  if (with_payload && !hit.payload.empty()) w.key("payload").raw(hit.payload);
  w.end_object();
  return out;
}

std::string user_result_json(const UserHit& hit) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("user_id", hit.user_id);
  if (!hit.display_name.empty()) w.member("display_name", hit.display_name);
  w.end_object();
  return out;
}

std::string group_result_json(const GroupHit& hit) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("group_id", hit.group_id);
  if (!hit.name.empty()) w.member("name", hit.name);
  w.end_object();
  return out;
}

}  // namespace qsip::server
