// What the media relay is told about one call: for every track a
// participant sends, its layers (sender flow ids) and who receives it under
// which flow id. The calls module computes it from the session's states and
// media modes after every change (src/server/calls/call_routes.*); the relay
// knows nothing of call semantics (docs/calls.md "Media relay").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qsip::server::media {

// One encoding of a track (simulcast, draft 7.4). A plain track has one
// layer: its own flow id, no rid.
struct Layer {
  std::uint64_t flow_id = 0;  // the sender's flow id
  std::string rid;
  std::uint64_t max_bitrate = 0;  // bits a second, 0 = not announced
  bool operator==(const Layer&) const = default;
};

struct RouteReceiver {
  std::string user_id;
  std::uint64_t connection_id = 0;
  std::uint64_t flow_id = 0;   // the flow id this receiver sees
  std::string requested_rid;   // an explicit layer choice (SESSION select_layer), or empty: by bandwidth
  bool operator==(const RouteReceiver&) const = default;
};

struct RouteTrack {
  std::string sender_user;
  std::uint64_t sender_connection = 0;
  std::string track_id;
  std::vector<Layer> layers;             // at least one
  std::vector<RouteReceiver> receivers;  // may be empty: counted, not forwarded (a held sender)
  bool operator==(const RouteTrack&) const = default;
};

struct SessionRoutes {
  std::string session_id;
  std::vector<RouteTrack> tracks;  // empty: the session has no media (ended)
  bool operator==(const SessionRoutes&) const = default;
};

// Where the calls module publishes routes. Called under the session's lock
// (so publications of one session arrive in order); must not call back.
class RoutePublisher {
 public:
  virtual ~RoutePublisher() = default;
  virtual void publish(const SessionRoutes& routes) = 0;
};

}  // namespace qsip::server::media
