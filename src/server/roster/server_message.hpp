// A message the server originates (wire profile 4: from = server id / node
// id), with a fresh message_id and the current time, framed and shared so
// that one fan-out sends the same bytes to every recipient.
#pragma once

#include <string_view>

#include "server/dispatch/outbound.hpp"
#include "server/dispatch/server_identity.hpp"

namespace qsip::server {

// `to_user` may be empty: a message fanned out to many users names none.
std::string server_message_json(ServerIdentity& identity, std::string_view type, std::string_view to_user,
                                std::string_view to_device, std::string_view payload_json);

FrameBytes server_message_frame(ServerIdentity& identity, std::string_view type, std::string_view to_user,
                                std::string_view payload_json);

}  // namespace qsip::server
