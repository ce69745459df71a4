// The server-originated ROSTER a user's devices receive when another user
// acts on them: subscription_request, subscription_approved, deny. The
// payload names the other user in `contact_id`; `contact_info` is empty
// (what the actor wrote about the contact is the actor's own).
#pragma once

#include <string_view>

#include "server/dispatch/outbound.hpp"
#include "server/dispatch/server_identity.hpp"

namespace qsip::server {

FrameBytes roster_notice_frame(ServerIdentity& identity, std::string_view to_user, std::string_view action,
                               std::string_view contact_id);

}  // namespace qsip::server
