#include "server/calls/call_state.hpp"

namespace qsip::server::calls {

namespace {
using S = ParticipantState;
using E = CallEvent;

Transition to(S next) { return Transition{true, next, core::ErrorCode::kInvalidActionForState}; }
Transition refuse(core::ErrorCode code = core::ErrorCode::kInvalidActionForState) { return Transition{false, S::kIdle, code}; }
}  // namespace

Transition transition(S state, E event) {
  switch (state) {
    case S::kIdle:
      // Someone who is not in a session may only start or be invited to one;
      // anything else about it is "no such session" (no existence leak).
      if (event == E::kSendInvite) return to(S::kInviting);
      if (event == E::kReceiveInvite) return to(S::kRinging);
      return refuse(core::ErrorCode::kSessionNotFound);
    case S::kInviting:
      switch (event) {
        case E::kPeerAccepted: return to(S::kActive);
        case E::kEnd: return to(S::kTerminated);            // cancel
        case E::kTimerExpired: return to(S::kTerminated);   // INVITE timer
        default: return refuse();
      }
    case S::kRinging:
      switch (event) {
        case E::kAccept: return to(S::kActive);
        case E::kReject: return to(S::kTerminated);
        case E::kEnd: return to(S::kTerminated);
        case E::kTimerExpired: return to(S::kTerminated);   // ringing timer: missed call
        default: return refuse();
      }
    case S::kActive:
      switch (event) {
        case E::kPeerAccepted: return to(S::kActive);       // a group member joins
        case E::kEnd: return to(S::kTerminated);
        case E::kHold: return to(S::kOnHold);
        case E::kControl: return to(S::kActive);
        default: return refuse();
      }
    case S::kOnHold:
      switch (event) {
        case E::kPeerAccepted: return to(S::kOnHold);
        case E::kEnd: return to(S::kTerminated);
        case E::kResume: return to(S::kActive);
        case E::kControl: return to(S::kOnHold);
        default: return refuse();
      }
    case S::kTerminated:
      return refuse();
  }
  return refuse();
}

std::string_view state_name(S state) {
  switch (state) {
    case S::kIdle: return "idle";
    case S::kInviting: return "inviting";
    case S::kRinging: return "ringing";
    case S::kActive: return "active";
    case S::kOnHold: return "on_hold";
    case S::kTerminated: return "terminated";
  }
  return "idle";
}

std::string_view event_name(E event) {
  switch (event) {
    case E::kSendInvite: return "send_invite";
    case E::kReceiveInvite: return "receive_invite";
    case E::kPeerAccepted: return "peer_accepted";
    case E::kAccept: return "accept";
    case E::kReject: return "reject";
    case E::kEnd: return "end";
    case E::kHold: return "hold";
    case E::kResume: return "resume";
    case E::kControl: return "control";
    case E::kTimerExpired: return "timer_expired";
  }
  return "";
}

}  // namespace qsip::server::calls
