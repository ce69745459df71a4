#include "server/groups/channel_request.hpp"

#include <array>

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

constexpr std::array<std::string_view, 5> kNames{"create", "delete", "join", "leave", "list"};

std::optional<std::string> optional_string(const core::MessageView& m, const char* key) {
  std::string_view text;
  if (m.payload[key].get(text)) return std::nullopt;  // absent or null (the validator checked the kind)
  return std::string(text);
}

}  // namespace

std::string_view action_name(ChannelAction action) { return kNames[static_cast<std::size_t>(action)]; }

core::Outcome<ChannelRequest> read_channel_request(const core::MessageView& m, const std::string& user_id,
                                                   std::int64_t now_ms) {
  ChannelRequest r;
  const auto action = m.payload_string("action");
  std::size_t i = 0;
  while (i < kNames.size() && kNames[i] != action) ++i;
  if (i == kNames.size())  // the type table's list is this one: unreachable for a validated message
    return Failure{ErrorCode::kMalformedPayload, "payload.action: unknown", std::string(m.message_id), {}};
  r.action = static_cast<ChannelAction>(i);
  r.user_id = user_id;
  r.message_id = std::string(m.message_id);
  r.channel_id = std::string(m.payload_string("channel_id"));
  r.name = optional_string(m, "name");
  r.description = optional_string(m, "description");
  r.workspace_id = optional_string(m, "workspace_id");
  if (auto visibility = optional_string(m, "visibility")) r.is_public = *visibility != "private";
  r.now_ms = now_ms;
  std::int64_t n = 0;
  if (!m.payload["limit"].get(n)) {
    if (n < 1 || n > kMaxChannelPage)
      return Failure{ErrorCode::kMalformedPayload, "payload.limit: 1 to " + std::to_string(kMaxChannelPage),
                     std::string(m.message_id), {}};
    r.limit = n;
  }
  if (auto cursor = optional_string(m, "cursor")) r.cursor = *cursor;
  return r;
}

}  // namespace qsip::server
