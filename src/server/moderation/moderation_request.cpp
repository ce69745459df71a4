#include "server/moderation/moderation_request.hpp"

#include <simdjson.h>

#include <array>
#include <cmath>

#include "server/dispatch/iso_time.hpp"

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

struct ActionName {
  ModerationAction action;
  std::string_view name;
};

constexpr std::array<ActionName, 8> kNames{{
    {ModerationAction::kMute, "mute_user_in_group"},
    {ModerationAction::kUnmute, "unmute_user_in_group"},
    {ModerationAction::kKick, "kick_user_from_group"},
    {ModerationAction::kBan, "ban_user_from_group"},
    {ModerationAction::kUnban, "unban_user_from_group"},
    {ModerationAction::kDeleteMessage, "delete_message"},
    {ModerationAction::kWarn, "warn_user"},
    {ModerationAction::kSuspend, "suspend_user_account"},
}};

Failure malformed(const core::MessageView& m, std::string detail) {
  return Failure{ErrorCode::kMalformedPayload, std::move(detail), std::string(m.message_id), {}};
}

bool present(const core::MessageView& m, const char* key) {
  simdjson::dom::element value;
  return !m.payload[key].get(value) && !value.is_null();
}

// duration_seconds or expires_at into r.expires_at_ms.
std::optional<Failure> read_expiry(const core::MessageView& m, ModerationRequest& r) {
  const bool has_duration = present(m, "duration_seconds");
  const bool has_expiry = present(m, "expires_at");
  if (!has_duration && !has_expiry) return std::nullopt;
  const std::string action(moderation_action_name(r.action));
  if (!takes_duration(r.action))
    return malformed(m, std::string("payload.") + (has_duration ? "duration_seconds" : "expires_at") +
                            ": only mute_user_in_group, ban_user_from_group and suspend_user_account expire, not " + action);
  if (has_duration && has_expiry)
    return malformed(m, "payload.expires_at: give duration_seconds or expires_at, not both");
  const std::string bound = "at most " + std::to_string(kMaxDurationSeconds) + " seconds ahead";
  if (has_duration) {
    double seconds = 0;
    if (m.payload["duration_seconds"].get(seconds) || !std::isfinite(seconds) || seconds != std::floor(seconds) ||
        seconds < 1 || seconds > static_cast<double>(kMaxDurationSeconds))
      return malformed(m, "payload.duration_seconds: a whole number of seconds from 1 to " + std::to_string(kMaxDurationSeconds));
    r.expires_at_ms = r.now_ms + static_cast<std::int64_t>(seconds) * 1000;
    return std::nullopt;
  }
  std::string_view text;
  std::optional<std::int64_t> at;
  if (!m.payload["expires_at"].get(text)) at = parse_timestamp_ms(text);
  if (!at) return malformed(m, "payload.expires_at: an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)");
  if (*at <= r.now_ms) return malformed(m, "payload.expires_at: must be in the future");
  if (*at > r.now_ms + kMaxDurationSeconds * 1000) return malformed(m, "payload.expires_at: " + bound);
  r.expires_at_ms = *at;
  return std::nullopt;
}

}  // namespace

std::optional<ModerationAction> parse_moderation_action(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.action;
  return std::nullopt;
}

std::string_view moderation_action_name(ModerationAction action) {
  for (const auto& n : kNames)
    if (n.action == action) return n.name;
  return "warn_user";
}

bool takes_duration(ModerationAction action) {
  return action == ModerationAction::kMute || action == ModerationAction::kBan || action == ModerationAction::kSuspend;
}

bool is_group_action(ModerationAction action) {
  switch (action) {
    case ModerationAction::kMute:
    case ModerationAction::kUnmute:
    case ModerationAction::kKick:
    case ModerationAction::kBan:
    case ModerationAction::kUnban: return true;
    default: return false;
  }
}

core::Outcome<ModerationRequest> read_moderation_request(const core::MessageView& m, const std::string& user_id,
                                                         const std::string& device_id, std::int64_t now_ms) {
  auto action_text = m.payload_string("action");
  auto action = parse_moderation_action(action_text);
  if (!action) return malformed(m, "payload.action: " + std::string(action_text) + " is not a moderation action");
  ModerationRequest r;
  r.actor = user_id;
  r.actor_device = device_id;
  r.message_id = std::string(m.message_id);
  r.action = *action;
  r.now_ms = now_ms;
  r.target_user_id = std::string(m.payload_string("target_user_id"));
  r.target_group_id = std::string(m.payload_string("target_group_id"));
  r.target_message_id = std::string(m.payload_string("target_message_id"));
  r.reason = std::string(m.payload_string("reason"));
  // What the type table requires depends on the action; these are the
  // combinations it cannot rule out.
  if (is_group_action(r.action) && r.target_group_id.empty())
    return malformed(m, "payload.target_group_id: required for " + std::string(action_text));
  if (r.action != ModerationAction::kDeleteMessage && r.target_user_id.empty())
    return malformed(m, "payload.target_user_id: required for " + std::string(action_text));
  if (r.action == ModerationAction::kDeleteMessage && r.target_message_id.empty())
    return malformed(m, "payload.target_message_id: required for delete_message");
  if (r.action == ModerationAction::kSuspend && !r.target_group_id.empty())
    return malformed(m, "payload.target_group_id: suspend_user_account is server-wide; omit it");
  if (r.action != ModerationAction::kDeleteMessage && !r.target_message_id.empty())
    return malformed(m, "payload.target_message_id: only for delete_message");
  if (r.action != ModerationAction::kDeleteMessage && r.target_user_id == r.actor)
    return malformed(m, "payload.target_user_id: cannot be yourself");
  if (r.reason.size() > kMaxReasonBytes)
    return malformed(m, "payload.reason: at most " + std::to_string(kMaxReasonBytes) + " bytes");
  if (auto failure = read_expiry(m, r)) return *failure;
  return r;
}

}  // namespace qsip::server
