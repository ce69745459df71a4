// The PRESENCE the server sends (docs/presence.md): the draft's fields for
// the aggregate presence of `user_id`, which the payload names. For the
// user's own devices it also says which device changed (`device_id`) and
// that device's own status (`device_status`).
#pragma once

#include <string_view>

#include "server/dispatch/outbound.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/presence/presence_state.hpp"

namespace qsip::server {

struct DeviceOrigin {
  std::string_view device_id;
  std::string_view device_status;
};

std::string presence_payload(std::string_view user_id, const PresenceInfo& info, const DeviceOrigin* origin = nullptr);

// Framed, from the server, `to` empty so one frame serves every watcher.
FrameBytes presence_frame(ServerIdentity& identity, std::string_view user_id, const PresenceInfo& info,
                          const DeviceOrigin* origin = nullptr);

}  // namespace qsip::server
