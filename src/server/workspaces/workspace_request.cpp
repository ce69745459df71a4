#include "server/workspaces/workspace_request.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

constexpr std::array<std::string_view, 10> kNames{"create", "delete", "get",      "list", "invite",
                                                  "join",   "leave",  "set_role", "kick", "list_members"};
constexpr std::size_t kMaxIdBytes = 256;  // wire profile 6

Failure malformed(const core::MessageView& m, std::string detail) {
  return Failure{ErrorCode::kMalformedPayload, std::move(detail), std::string(m.message_id), {}};
}

}  // namespace

std::string_view action_name(WorkspaceAction action) { return kNames[static_cast<std::size_t>(action)]; }

core::Outcome<WorkspaceRequest> read_workspace_request(const core::MessageView& m, const std::string& user_id,
                                                       std::int64_t now_ms) {
  const auto action = m.payload_string("action");
  std::size_t i = 0;
  while (i < kNames.size() && kNames[i] != action) ++i;
  if (i == kNames.size())
    return Failure{ErrorCode::kActionNotSupported,
                   "payload.action: " + std::string(action) + " is sent by the server, not to it",
                   std::string(m.message_id), {}};
  WorkspaceRequest r;
  r.action = static_cast<WorkspaceAction>(i);
  r.user_id = user_id;
  r.message_id = std::string(m.message_id);
  r.workspace_id = std::string(m.payload_string("workspace_id"));
  r.target_user_id = std::string(m.payload_string("target_user_id"));
  if (auto role = m.payload_string("role"); !role.empty()) r.role = parse_workspace_role(role);
  r.now_ms = now_ms;

  simdjson::dom::object info;
  if (!m.payload["workspace_info"].get(info)) {
    std::string_view text;
    if (!info["name"].get(text)) r.name = std::string(text);
    if (!info["description"].get(text)) r.description = std::string(text);
    if (!info["visibility"].get(text)) r.is_public = text == "public";
  }
  simdjson::dom::array members;
  if (!m.payload["members"].get(members)) {
    for (auto item : members) {
      std::string_view id;
      if (item.get(id) || id.empty() || id.size() > kMaxIdBytes)
        return malformed(m, "payload.members: user ids of 1 to 256 bytes");
      if (std::find(r.members.begin(), r.members.end(), id) == r.members.end()) r.members.emplace_back(id);
      if (r.members.size() > kMaxWorkspaceInvitees)
        return malformed(m, "payload.members: at most " + std::to_string(kMaxWorkspaceInvitees) + " users at a time");
    }
    if (r.action == WorkspaceAction::kInvite && r.members.empty())
      return malformed(m, "payload.members: at least one user");
  }
  std::int64_t n = 0;
  if (!m.payload["limit"].get(n)) {
    if (n < 1 || n > kMaxWorkspacePage) return malformed(m, "payload.limit: 1 to " + std::to_string(kMaxWorkspacePage));
    r.limit = n;
  }
  std::string_view cursor;
  if (!m.payload["cursor"].get(cursor)) r.cursor = std::string(cursor);
  return r;
}

}  // namespace qsip::server
