#include "server/calls/call_routes.hpp"

namespace qsip::server::calls {

bool hears(const Participant& listener, const Participant& speaker) {
  if (&listener == &speaker || listener.user_id == speaker.user_id) return false;
  if (listener.state != ParticipantState::kActive || speaker.state != ParticipantState::kActive) return false;
  if (listener.bound.connection_id == 0 || speaker.bound.connection_id == 0) return false;
  switch (speaker.media_mode) {
    case MediaMode::kFull: return true;
    case MediaMode::kListen: return false;
    case MediaMode::kWhisper: return listener.user_id == speaker.whisper_to;
  }
  return false;
}

std::vector<media::Layer> relay_layers(const Track& track) {
  std::vector<media::Layer> layers;
  for (const auto& l : track.layers) layers.push_back({l.flow_id, l.rid, l.max_bitrate});
  if (layers.empty()) layers.push_back({track.flow_id, {}, 0});
  return layers;
}

media::SessionRoutes compute_routes(CallSession& s) {
  media::SessionRoutes routes;
  routes.session_id = s.session_id;
  for (const auto& p : s.participants)
    if (!live(p.state)) s.flows.release_user(p.user_id);
  for (const auto& sender : s.participants) {
    if (!in_call(sender.state) || sender.bound.connection_id == 0) continue;
    for (const auto& track : sender.tracks) {
      media::RouteTrack route;
      route.sender_user = sender.user_id;
      route.sender_connection = sender.bound.connection_id;
      route.track_id = track.track_id;
      route.layers = relay_layers(track);
      for (const auto& receiver : s.participants) {
        if (!hears(receiver, sender)) continue;
        media::RouteReceiver r;
        r.user_id = receiver.user_id;
        r.connection_id = receiver.bound.connection_id;
        r.flow_id = s.flows.assign(receiver.user_id, sender.user_id, track.track_id, track.flow_id);
        if (auto it = s.layer_requests.find({receiver.user_id, sender.user_id, track.track_id});
            it != s.layer_requests.end())
          r.requested_rid = it->second;
        route.receivers.push_back(std::move(r));
      }
      routes.tracks.push_back(std::move(route));
    }
  }
  return routes;
}

}  // namespace qsip::server::calls
