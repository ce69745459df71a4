#include "server/moderation/moderation_notice.hpp"

#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/payload_builders.hpp"

namespace qsip::server {

std::string iso_ms(std::int64_t unix_ms) {
  return core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
}

std::string moderation_notice_payload(const ModerationNoticeFields& f) {
  core::builders::ModerationPayload p;
  p.action(moderation_action_name(f.action)).target_user_id(f.target_user_id);
  if (!f.target_group_id.empty()) p.target_group_id(f.target_group_id);
  if (!f.reason.empty()) p.reason(f.reason);
  if (f.expires_at_ms != 0) p.expires_at(iso_ms(f.expires_at_ms));
  if (!f.by_user_id.empty()) p.set("by_user_id", f.by_user_id);
  return p.json();
}

std::string removed_member_payload(std::string_view group_id, std::string_view user, std::string_view how,
                                   std::string_view by, std::string_view moderation_reason) {
  core::builders::GroupPayload p;
  p.action("member_left").group_id(group_id).target_user_id(user).set("reason", how).set("by_user_id", by);
  if (!moderation_reason.empty()) p.set("moderation_reason", moderation_reason);
  return p.json();
}

std::string moderation_receipt_json(const ModerationRequest& r) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", moderation_action_name(r.action));
  if (!r.target_user_id.empty()) w.member("target_user_id", r.target_user_id);
  if (!r.target_group_id.empty()) w.member("target_group_id", r.target_group_id);
  if (!r.target_message_id.empty()) w.member("deleted_message_id", r.target_message_id);
  if (r.expires_at_ms != 0) w.member("expires_at", iso_ms(r.expires_at_ms));
  w.end_object();
  return json;
}

}  // namespace qsip::server
