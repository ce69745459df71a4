// Call-centre supervisors in queue calls (docs/call-centre.md "Supervisors"):
// a configured supervisor (or server admin) joins an answered queue call with
// SESSION listen, whisper or barge, changes mode with another of them and
// leaves with END. Its participant has Role::kSupervisor and a MediaMode
// the media relay honours: listen hears both sides and is heard by nobody,
// whisper is heard by the agent only, barge by both.
//
// The customer must not learn of a supervisor who listens or whispers: no
// notice, none of its messages, and `to.user_id` naming it is 4043 as for
// anyone not in the call. The agent (and any other supervisor) always knows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/calls/call_outbox.hpp"
#include "server/calls/call_session.hpp"
#include "server/dispatch/server_identity.hpp"

namespace qsip::server::calls {

inline constexpr std::size_t kMaxSupervisorsPerCall = 4;

// "listen", "whisper", "barge".
std::string_view mode_name(MediaMode mode);
std::optional<MediaMode> supervision_mode(std::string_view action);

// Whether `subject` is kept from `viewer`: a supervisor who does not barge,
// seen by the customer (the queue call's caller).
inline bool hidden_from(const Participant& subject, const Participant& viewer) {
  return subject.role == Role::kSupervisor && subject.media_mode != MediaMode::kFull && viewer.role == Role::kCaller;
}

// The supervisor has left (END, lost connection): SESSION participant_left
// to those in the call who knew of it.
void tell_supervisor_left(CallSession& session, const Participant& supervisor, Outbox& out,
                          ServerIdentity& identity);

}  // namespace qsip::server::calls
