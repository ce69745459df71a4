// What the media relay is told about a session (docs/calls.md "Media
// relay"): who hears whom, computed from the participants' states and media
// modes, with the flow ids each receiver sees. Pure functions over a
// CallSession, run under its registry shard's lock.
#pragma once

#include <string>

#include "server/calls/call_session.hpp"
#include "server/media/session_routes.hpp"

namespace qsip::server::calls {

// Whether `listener` hears `speaker`: both ACTIVE (a held participant
// neither sends nor receives), distinct, and the speaker's media mode lets
// the listener hear it (kFull: everyone; kListen: nobody; kWhisper: only
// `whisper_to`).
bool hears(const Participant& listener, const Participant& speaker);

// The session's routes: every track of every participant in the call
// (ACTIVE or ON_HOLD: a held one's packets are counted, not forwarded) with
// its receivers. Assigns receiver flow ids as needed and forgets those of
// participants who left.
media::SessionRoutes compute_routes(CallSession& session);

// The layers the relay sees for a track: the simulcast layers, or one
// layer on the track's own flow id.
std::vector<media::Layer> relay_layers(const Track& track);

}  // namespace qsip::server::calls
