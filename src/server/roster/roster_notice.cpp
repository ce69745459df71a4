#include "server/roster/roster_notice.hpp"

#include "core/payload_builders.hpp"
#include "server/roster/server_message.hpp"

namespace qsip::server {

FrameBytes roster_notice_frame(ServerIdentity& identity, std::string_view to_user, std::string_view action,
                               std::string_view contact_id) {
  auto payload = core::builders::RosterPayload().action(action).contact_id(contact_id).contact_info(core::ObjectBuilder{});
  return server_message_frame(identity, "ROSTER", to_user, payload.json());
}

}  // namespace qsip::server
