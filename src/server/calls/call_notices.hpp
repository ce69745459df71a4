// The messages the server originates about a session (wire profile 4: from
// the server id / node id): END with a reason (timeout, answered_elsewhere,
// declined_elsewhere, transferred, connection_lost, hangup), REJECT
// `unavailable` / `timeout`, SESSION notices (participant_joined,
// participant_left) and the INVITE of a transfer. docs/calls.md lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.hpp"
#include "server/calls/call_session.hpp"
#include "server/dispatch/outbound.hpp"
#include "server/dispatch/server_identity.hpp"

namespace qsip::server::calls {

FrameBytes server_end(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                      std::string_view reason, std::string_view detail);

FrameBytes server_reject(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                         std::string_view reason, std::string_view detail, std::string_view rejected_by);

// SESSION `action` about `user_id` (and its device) from the server.
FrameBytes session_notice(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                          std::string_view action, std::string_view user_id, std::string_view device_id);

// The INVITE a transfer target receives: the session's offer, who is on the
// other end (`caller_user_id`) and who transferred (`transferred_by`).
FrameBytes transfer_invite(ServerIdentity& identity, const CallSession& session, std::string_view to_user,
                           std::string_view remaining_user, std::string_view transferred_by);

// The INVITE an agent receives for a queue call (A.3 step 7): the session's
// offer, the customer on the other end (`caller_user_id`), `purpose`
// "customer_support_call" and the `queue_item_id` it serves.
FrameBytes queue_call_invite(ServerIdentity& identity, const CallSession& session, std::string_view to_user,
                             std::string_view customer_id);

// SESSION `action` (participant_joined, participant_left) about a
// supervisor: user_id, device_id, role "supervisor", mode and the tracks it
// announced with the flow ids `to_user` will see them on (the relay's
// per-receiver flow ids, assigned here at first use).
FrameBytes supervisor_notice(ServerIdentity& identity, CallSession& session, std::string_view to_user,
                             std::string_view action, const Participant& supervisor);

// `sender`'s tracks as `receiver` will see them, a JSON array
// [{"track_id","kind","flow_id"}]: one flow id per track at the receiver
// (the relay forwards the chosen simulcast layer on it), from the
// session's FlowAssignments.
void write_tracks_for(core::JsonWriter& w, CallSession& session, const std::string& receiver,
                      const Participant& sender);

}  // namespace qsip::server::calls
