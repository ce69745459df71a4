// The per-participant session state machine of draft 6.2 and Appendix B, as
// a pure table: given a participant's state and an event, whether the event
// is allowed and the state it leads to, or the error code that refuses it.
// The call engine consults it for every request; tests walk every cell.
// docs/calls.md "State machine".
#pragma once

#include <optional>
#include <string_view>

#include "core/error_registry.hpp"

namespace qsip::server::calls {

// Appendix B's session states as one participant lives them. INVITING is the
// caller's OUTGOING, RINGING the callee's INCOMING (6.2).
enum class ParticipantState {
  kIdle,        // not in the session
  kInviting,    // sent the INVITE, nobody has accepted yet (INVITE timer runs)
  kRinging,     // received the INVITE on its devices (ringing timer runs)
  kActive,      // in the call
  kOnHold,      // in the call, put on hold by itself
  kTerminated,  // left, rejected, timed out or hung up
};

enum class CallEvent {
  kSendInvite,      // this participant sends an INVITE
  kReceiveInvite,   // the server forks an INVITE to this participant
  kPeerAccepted,    // another participant accepted (the caller's call is answered)
  kAccept,          // this participant sends ACCEPT
  kReject,          // this participant sends REJECT
  kEnd,             // this participant sends END (or its connection is lost)
  kHold,            // SESSION hold
  kResume,          // SESSION resume
  kControl,         // SESSION mute/unmute/screenshare/recording/transfer, CHANNEL_UPDATE,
                    // MEDIA_UPDATE, KEY_EXCHANGE: allowed in the call, state unchanged
  kTimerExpired,    // the INVITE timer (INVITING) or ringing timer (RINGING) expired
};

struct Transition {
  bool allowed = false;
  ParticipantState next = ParticipantState::kIdle;
  core::ErrorCode refusal = core::ErrorCode::kInvalidActionForState;  // when not allowed
};

Transition transition(ParticipantState state, CallEvent event);

// Lower-case names as they appear on the wire (`state` in RECEIPTs).
std::string_view state_name(ParticipantState state);
std::string_view event_name(CallEvent event);

inline bool in_call(ParticipantState s) { return s == ParticipantState::kActive || s == ParticipantState::kOnHold; }
inline bool live(ParticipantState s) { return s != ParticipantState::kIdle && s != ParticipantState::kTerminated; }

}  // namespace qsip::server::calls
