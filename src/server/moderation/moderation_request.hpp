// A MODERATION request (draft 5.20) read out of the validated message into
// plain values, with the checks the type table cannot express: a duration
// or an expiry (not both, positive, in the future, bounded), which actions
// take one, bounded reasons. The actions then work on this, never on JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::server {

enum class ModerationAction {
  kMute, kUnmute, kKick, kBan, kUnban, kDeleteMessage, kWarn, kSuspend,
};

// nullopt for anything but the eight wire names.
std::optional<ModerationAction> parse_moderation_action(std::string_view name);
std::string_view moderation_action_name(ModerationAction action);

// mute, ban and suspend may carry duration_seconds or expires_at.
bool takes_duration(ModerationAction action);
// Actions on a group member (target_group_id required by the type table).
bool is_group_action(ModerationAction action);

// A temporary sanction lasts at most this long (one year); longer ones are
// permanent ones, lifted by hand.
inline constexpr std::int64_t kMaxDurationSeconds = 366LL * 24 * 3600;
inline constexpr std::size_t kMaxReasonBytes = 1024;

struct ModerationRequest {
  std::string actor;       // who asks (the registered user)
  std::string actor_device;
  std::string message_id;  // the request's, answered
  ModerationAction action = ModerationAction::kWarn;
  std::string target_user_id;
  std::string target_group_id;    // empty: none given
  std::string target_message_id;  // delete_message
  std::string reason;
  std::int64_t now_ms = 0;
  std::int64_t expires_at_ms = 0;  // 0: permanent (or an action without expiry)
};

// 4001 naming the field for what the type table lets through but the
// actions cannot take.
core::Outcome<ModerationRequest> read_moderation_request(const core::MessageView& message, const std::string& user_id,
                                                         const std::string& device_id, std::int64_t now_ms);

}  // namespace qsip::server
