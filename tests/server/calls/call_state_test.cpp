// The session state machine (draft 6.2, Appendix B; docs/calls.md): every
// state x event cell, allowed with its next state or refused with its code.
#include <gtest/gtest.h>

#include <map>
#include <utility>

#include "server/calls/call_state.hpp"

using namespace qsip::server::calls;
using qsip::core::ErrorCode;
using S = ParticipantState;
using E = CallEvent;

namespace {

const S kStates[] = {S::kIdle, S::kInviting, S::kRinging, S::kActive, S::kOnHold, S::kTerminated};
const E kEvents[] = {E::kSendInvite, E::kReceiveInvite, E::kPeerAccepted, E::kAccept, E::kReject,
                     E::kEnd,        E::kHold,          E::kResume,       E::kControl, E::kTimerExpired};

// The allowed cells, with their next state. Everything else is refused.
const std::map<std::pair<S, E>, S> kAllowed = {
    {{S::kIdle, E::kSendInvite}, S::kInviting},
    {{S::kIdle, E::kReceiveInvite}, S::kRinging},
    {{S::kInviting, E::kPeerAccepted}, S::kActive},
    {{S::kInviting, E::kEnd}, S::kTerminated},
    {{S::kInviting, E::kTimerExpired}, S::kTerminated},
    {{S::kRinging, E::kAccept}, S::kActive},
    {{S::kRinging, E::kReject}, S::kTerminated},
    {{S::kRinging, E::kEnd}, S::kTerminated},
    {{S::kRinging, E::kTimerExpired}, S::kTerminated},
    {{S::kActive, E::kPeerAccepted}, S::kActive},
    {{S::kActive, E::kEnd}, S::kTerminated},
    {{S::kActive, E::kHold}, S::kOnHold},
    {{S::kActive, E::kControl}, S::kActive},
    {{S::kOnHold, E::kPeerAccepted}, S::kOnHold},
    {{S::kOnHold, E::kEnd}, S::kTerminated},
    {{S::kOnHold, E::kResume}, S::kActive},
    {{S::kOnHold, E::kControl}, S::kOnHold},
};

}  // namespace

TEST(CallStateTable, EveryStateAndEvent) {
  int allowed = 0;
  for (auto state : kStates) {
    for (auto event : kEvents) {
      auto t = transition(state, event);
      auto cell = std::string(state_name(state)) + " x " + std::string(event_name(event));
      auto it = kAllowed.find({state, event});
      if (it != kAllowed.end()) {
        EXPECT_TRUE(t.allowed) << cell;
        EXPECT_EQ(t.next, it->second) << cell;
        ++allowed;
      } else {
        EXPECT_FALSE(t.allowed) << cell;
        // Not in a session: 4043 (no existence leak); in one: 4051.
        auto expected = state == S::kIdle ? ErrorCode::kSessionNotFound : ErrorCode::kInvalidActionForState;
        EXPECT_EQ(t.refusal, expected) << cell;
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(kAllowed.size()));
}

TEST(CallStateTable, TheDraftsSimplifiedMachine) {
  // 6.2 row by row.
  EXPECT_EQ(transition(S::kIdle, E::kSendInvite).next, S::kInviting);       // IDLE -> OUTGOING
  EXPECT_EQ(transition(S::kIdle, E::kReceiveInvite).next, S::kRinging);     // IDLE -> INCOMING
  EXPECT_EQ(transition(S::kInviting, E::kPeerAccepted).next, S::kActive);   // OUTGOING + ACCEPT
  EXPECT_EQ(transition(S::kInviting, E::kTimerExpired).next, S::kTerminated);
  EXPECT_EQ(transition(S::kRinging, E::kAccept).next, S::kActive);
  EXPECT_EQ(transition(S::kRinging, E::kReject).next, S::kTerminated);
  EXPECT_EQ(transition(S::kRinging, E::kTimerExpired).next, S::kTerminated);  // missed call
  EXPECT_EQ(transition(S::kActive, E::kEnd).next, S::kTerminated);
  EXPECT_EQ(transition(S::kActive, E::kHold).next, S::kOnHold);
  EXPECT_EQ(transition(S::kOnHold, E::kResume).next, S::kActive);
  // Refusals the issue names: resume when not on hold, accept twice.
  EXPECT_EQ(transition(S::kActive, E::kResume).refusal, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(transition(S::kActive, E::kAccept).refusal, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(transition(S::kOnHold, E::kHold).refusal, ErrorCode::kInvalidActionForState);
}

TEST(CallStateTable, NamesOnTheWire) {
  EXPECT_EQ(state_name(S::kOnHold), "on_hold");
  EXPECT_EQ(state_name(S::kInviting), "inviting");
  EXPECT_EQ(state_name(S::kTerminated), "terminated");
  EXPECT_TRUE(in_call(S::kOnHold));
  EXPECT_FALSE(in_call(S::kRinging));
  EXPECT_TRUE(live(S::kRinging));
  EXPECT_FALSE(live(S::kTerminated));
}
