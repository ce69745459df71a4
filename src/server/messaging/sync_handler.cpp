#include "server/messaging/sync_handler.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "server/groups/group_directory.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/messaging/history_entry.hpp"

namespace qsip::server {
namespace {

// A non-negative integer member of `data`; false (with the field in
// `error`) when present but not one.
bool read_count(simdjson::dom::object data, const char* key, std::int64_t& out, std::string& error) {
  simdjson::dom::element value;
  if (data[key].get(value)) return true;
  std::int64_t n = 0;
  if (value.get(n) || n < 0) {
    error = std::string("payload.data.") + key + ": a non-negative integer";
    return false;
  }
  out = n;
  return true;
}

}  // namespace

void SyncHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  if (msg.payload_string("action") != "request")
    return fail(core::ErrorCode::kMalformedPayload, "payload.action: a client sends request");

  store::HistoryQuery query;
  query.user_id = session.user_id();
  query.groups = group_directory::groups_of(*session.context().reader, query.user_id);
  std::string error;
  std::int64_t limit = kDefaultLimit;
  simdjson::dom::element data_value;
  if (!msg.payload["data"].get(data_value)) {  // absent: every conversation, the latest page
    simdjson::dom::object data;
    if (data_value.get(data)) return fail(core::ErrorCode::kMalformedPayload, "payload.data: must be an object");
    std::string_view text;
    if (!data["user_id"].get(text)) query.with_user = std::string(text);
    if (!data["group_id"].get(text)) query.group_id = std::string(text);
    if (!data["thread_id"].get(text)) query.thread_id = std::string(text);
    if (!read_count(data, "after_seq", query.after_seq, error) || !read_count(data, "before_seq", query.before_seq, error) ||
        !read_count(data, "limit", limit, error))
      return fail(core::ErrorCode::kMalformedPayload, error);
    if (!data["since"].get(text)) {
      auto ms = parse_timestamp_ms(text);
      if (!ms) return fail(core::ErrorCode::kMalformedPayload, "payload.data.since: an ISO 8601 UTC timestamp");
      query.since_ms = *ms;
    }
  }
  if (!query.group_id.empty() &&
      std::find(query.groups.begin(), query.groups.end(), query.group_id) == query.groups.end()) {
    // Not a member, or no such group: the same answer, so membership does not leak.
    return fail(core::ErrorCode::kGroupNotFound, "payload.data.group_id: no group " + query.group_id + " of yours");
  }
  if (limit == 0 || limit > static_cast<std::int64_t>(kMaxLimit))
    return fail(core::ErrorCode::kMalformedPayload, "payload.data.limit: 1 to " + std::to_string(kMaxLimit));
  query.limit = static_cast<std::size_t>(limit);
  // Without a starting point (after_seq or since), the latest page, as a
  // history view opens; before_seq pages further back.
  query.newest_first = query.after_seq == 0 && query.since_ms == 0;

  std::vector<store::MessageNow> page;
  try {
    page = delivery_.store(session).history(query);
  } catch (const std::exception& e) {
    return fail(core::ErrorCode::kDatabaseError, std::string("SYNC: ") + e.what());
  }
  const bool has_more = page.size() > query.limit;
  if (has_more) {
    // The extra row lies beyond the page: the oldest when paging back, the newest going forward.
    if (query.newest_first) {
      page.erase(page.begin());
    } else {
      page.pop_back();
    }
  }

  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object()
      .member("action", "response")
      .member("target_message_id", msg.message_id)
      .member("device_id", session.device_id())
      .member("timestamp", ServerIdentity::now());
  w.key("data").begin_object();
  w.key("messages").begin_array();
  for (const auto& m : page) write_history_entry(w, m);
  w.end_array();
  w.member("has_more", has_more);
  if (!page.empty()) w.member("first_seq", page.front().event.seq).member("last_seq", page.back().event.seq);
  w.end_object();
  w.end_object();
  session.answer_data(request.stream_id, "SYNC", payload);
}

}  // namespace qsip::server
