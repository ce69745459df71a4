#include "server/presence/presence_message.hpp"

#include "core/json_writer.hpp"
#include "server/roster/server_message.hpp"

namespace qsip::server {

std::string presence_payload(std::string_view user_id, const PresenceInfo& info, const DeviceOrigin* origin) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("status", info.status);
  if (!info.status_message.empty()) w.member("status_message", info.status_message);
  if (!info.activity.empty()) w.member("activity", info.activity);
  if (!info.last_active_at.empty()) w.member("last_active_at", info.last_active_at);
  w.member("user_id", user_id);
  if (origin) w.member("device_id", origin->device_id).member("device_status", origin->device_status);
  w.end_object();
  return payload;
}

FrameBytes presence_frame(ServerIdentity& identity, std::string_view user_id, const PresenceInfo& info,
                          const DeviceOrigin* origin) {
  return server_message_frame(identity, "PRESENCE", {}, presence_payload(user_id, info, origin));
}

}  // namespace qsip::server
