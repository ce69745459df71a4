// The server-originated payloads of moderation (docs/moderation.md
// "Notices"), one function each so that the names of actions and fields
// live in one place: the MODERATION a sanctioned or warned user gets on all
// its devices, the GROUP member_left the members get when a moderator
// removes someone, and the RECEIPT members answering the moderator.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/moderation/moderation_request.hpp"

namespace qsip::server {

// What the user is told of an action on it (also of a lifted sanction:
// action unmute_user_in_group / unban_user_from_group, by_user_id empty and
// `reason` "expired" when its time ran out).
struct ModerationNoticeFields {
  ModerationAction action = ModerationAction::kWarn;
  std::string_view target_user_id;
  std::string_view target_group_id;  // empty: none
  std::string_view reason;           // empty: none
  std::int64_t expires_at_ms = 0;    // 0: none (permanent, or an action without expiry)
  std::string_view by_user_id;       // empty: the server itself
};
std::string moderation_notice_payload(const ModerationNoticeFields& fields);

// GROUP member_left with reason "kicked" or "banned", as GROUP kick tells
// it, plus the moderator's reason as `moderation_reason`.
std::string removed_member_payload(std::string_view group_id, std::string_view user, std::string_view how,
                                   std::string_view by, std::string_view moderation_reason);

// The members of the RECEIPT `ok`: action, the targets given, expires_at
// when the sanction expires, and for delete_message `deleted_message_id`
// (the RECEIPT's own target_message_id names the request).
std::string moderation_receipt_json(const ModerationRequest& request);

// An ISO 8601 timestamp of Unix milliseconds.
std::string iso_ms(std::int64_t unix_ms);

}  // namespace qsip::server
