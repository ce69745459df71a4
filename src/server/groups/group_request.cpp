#include "server/groups/group_request.hpp"

#include <simdjson.h>

#include <algorithm>

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

constexpr std::size_t kMaxIdBytes = 256;  // wire profile 6

Failure malformed(const core::MessageView& m, std::string detail) {
  return Failure{ErrorCode::kMalformedPayload, std::move(detail), std::string(m.message_id), {}};
}

std::optional<std::string> optional_string(const core::MessageView& m, const char* key) {
  std::string_view text;
  if (m.payload[key].get(text)) return std::nullopt;  // absent or null (the validator checked the kind)
  return std::string(text);
}

// settings: an object, kept as given; `join_requests` in it must be a boolean.
std::optional<Failure> read_settings(const core::MessageView& m, GroupRequest& r) {
  simdjson::dom::element value;
  if (m.payload["settings"].get(value) || value.is_null()) return std::nullopt;
  simdjson::dom::object settings;
  if (value.get(settings)) return malformed(m, "payload.settings: must be an object");
  simdjson::dom::element join;
  if (!settings["join_requests"].get(join) && !join.is_null()) {
    bool flag = false;
    if (join.get(flag)) return malformed(m, "payload.settings.join_requests: must be a boolean");
    r.join_requests = flag;
  }
  r.settings_json = simdjson::to_string(settings);
  return std::nullopt;
}

// members: user ids, repeats dropped, at most kMaxInvitees.
std::optional<Failure> read_members(const core::MessageView& m, GroupRequest& r) {
  simdjson::dom::array members;
  if (m.payload["members"].get(members)) return std::nullopt;
  for (auto item : members) {
    std::string_view id;
    if (item.get(id) || id.empty() || id.size() > kMaxIdBytes)
      return malformed(m, "payload.members: user ids of 1 to 256 bytes");
    if (std::find(r.members.begin(), r.members.end(), id) == r.members.end()) r.members.emplace_back(id);
  }
  if (r.members.size() > kMaxInvitees)
    return malformed(m, "payload.members: at most " + std::to_string(kMaxInvitees) + " users at a time");
  return std::nullopt;
}

std::optional<Failure> read_paging(const core::MessageView& m, GroupRequest& r) {
  std::int64_t n = 0;
  if (!m.payload["limit"].get(n)) {
    if (n < 1 || n > kMaxMemberPage) return malformed(m, "payload.limit: 1 to " + std::to_string(kMaxMemberPage));
    r.limit = n;
  }
  if (!m.payload["offset"].get(n)) r.offset = n;  // >= 0: the type table checks it
  simdjson::dom::element cursor;
  if (!m.payload["cursor"].get(cursor) && !cursor.is_null()) {
    std::string_view text;
    if (cursor.get(text)) return malformed(m, "payload.cursor: must be a string from next_cursor");
    r.cursor = std::string(text);
  }
  return std::nullopt;
}

}  // namespace

core::Outcome<GroupRequest> read_group_request(const core::MessageView& m, const std::string& user_id,
                                               std::int64_t now_ms) {
  auto action_text = m.payload_string("action");
  auto action = parse_group_action(action_text);
  if (!action)
    return Failure{ErrorCode::kActionNotSupported,
                   "payload.action: " + std::string(action_text) + " is sent by the server, not to it",
                   std::string(m.message_id), {}};
  GroupRequest r;
  r.user_id = user_id;
  r.message_id = std::string(m.message_id);
  r.action = *action;
  r.group_id = std::string(m.payload_string("group_id"));
  r.now_ms = now_ms;
  r.name = optional_string(m, "name");
  r.topic = optional_string(m, "topic");
  r.avatar_url = optional_string(m, "avatar_url");
  r.workspace_id = optional_string(m, "workspace_id");
  if (auto visibility = optional_string(m, "visibility")) r.is_public = *visibility == "public";
  r.target_user_id = std::string(m.payload_string("target_user_id"));
  if (auto role = m.payload_string("role"); !role.empty()) r.role = parse_role(role);
  if (auto failure = read_settings(m, r)) return *failure;
  if (auto failure = read_members(m, r)) return *failure;
  if (auto failure = read_paging(m, r)) return *failure;
  return r;
}

}  // namespace qsip::server
