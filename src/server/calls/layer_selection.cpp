#include "server/calls/layer_selection.hpp"

#include <algorithm>

namespace qsip::server::calls {

std::optional<core::Failure> select_layer(CallSession& s, const Participant& me, simdjson::dom::object payload) {
  auto fail = [](std::string detail) { return core::Failure{core::ErrorCode::kMalformedPayload, std::move(detail), {}, {}}; };
  std::string_view track_id, rid, user_id;
  if (payload["track_id"].get(track_id) || track_id.empty()) return fail("payload.track_id: required");
  if (payload["rid"].get(rid) != simdjson::SUCCESS) rid = {};  // none: back to the choice by bandwidth
  if (payload["user_id"].get(user_id) != simdjson::SUCCESS) user_id = {};
  const Participant* sender = nullptr;
  const Track* track = nullptr;
  for (const auto& o : s.participants) {
    if (&o == &me || !in_call(o.state) || (!user_id.empty() && o.user_id != user_id)) continue;
    for (const auto& t : o.tracks) {
      if (t.track_id != track_id) continue;
      if (sender) return fail("payload.user_id: required, several participants send a track " + std::string(track_id));
      sender = &o;
      track = &t;
    }
  }
  if (!track) return fail("payload.track_id: no track " + std::string(track_id) + " in this call");
  if (track->layers.empty()) return fail("payload.track_id: " + std::string(track_id) + " has no simulcast layers");
  auto key = std::make_tuple(me.user_id, sender->user_id, track->track_id);
  if (rid.empty()) {
    s.layer_requests.erase(key);
    return std::nullopt;
  }
  if (std::none_of(track->layers.begin(), track->layers.end(), [&](const TrackLayer& l) { return l.rid == rid; }))
    return fail("payload.rid: no layer " + std::string(rid) + " in track " + std::string(track_id));
  if (s.layer_requests.size() >= kMaxGroupCallParticipants * kMaxTracks && !s.layer_requests.count(key))
    return fail("payload.track_id: too many layer choices in this session");
  s.layer_requests[key] = std::string(rid);
  return std::nullopt;
}

}  // namespace qsip::server::calls
