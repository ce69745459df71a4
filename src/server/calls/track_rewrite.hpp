// The frame a receiver gets when the server forwards an INVITE, ACCEPT or
// MEDIA_UPDATE that announces tracks (wire profile 7): the same bytes when
// every flow id in it is the one that receiver will see, else the message
// re-encoded with the `flow_id` of those tracks replaced. Not on a hot path:
// once per forwarded announcement and receiver.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "server/calls/call_session.hpp"
#include "server/dispatch/outbound.hpp"

namespace qsip::server::calls {

// `flows`: track_id -> the flow id to write, for the tracks whose flow id
// differs. The frame is varint(L) || JSON (wire profile 2). A frame that
// does not parse is returned unchanged (it was validated on arrival).
FrameBytes rewrite_track_flows(const FrameBytes& frame, std::string_view field,
                               const std::map<std::string, std::uint64_t>& flows);

// The frame `receiver` gets for `sender`'s announcement in `field`
// ("tracks" or "add_tracks"): assigns the receiver's flow ids for the
// sender's tracks in the session and rewrites the frame where they differ.
FrameBytes frame_for_receiver(CallSession& session, const Participant& sender, const std::string& receiver,
                              std::string_view field, const std::vector<Track>& announced, const FrameBytes& frame);

}  // namespace qsip::server::calls
