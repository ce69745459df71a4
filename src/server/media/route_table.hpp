// The relay's routes, compiled from what the calls module publishes
// (session_routes.hpp) into an index the datagram path reads: sender
// connection -> its flows -> the receivers of each flow's track. Each
// sender connection's entry is an immutable snapshot behind a short
// sharded lock; a publication builds new snapshots for the connections it
// touches and swaps them in, so the datagram path never waits for a
// rebuild. Counters live as long as their flow is published (they carry
// over between publications) and vanish with the session.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/media/flow_counters.hpp"
#include "server/media/session_routes.hpp"

namespace qsip::server::media {

struct ReceiverRoute {
  std::uint64_t connection_id = 0;
  std::uint64_t flow_id = 0;  // what the receiver sees
  int requested_layer = -1;   // kNoRequest: by bandwidth
  std::shared_ptr<FlowCounters> counters;
};

struct TrackRoute {
  std::vector<Layer> layers;
  std::vector<ReceiverRoute> receivers;
};

struct SenderFlow {
  std::uint64_t flow_id = 0;  // the sender's
  std::size_t layer = 0;      // which of the track's layers this flow carries
  std::shared_ptr<const TrackRoute> track;
  std::shared_ptr<FlowCounters> counters;
};

// Every flow one connection sends, over all its sessions.
struct SenderRoutes {
  std::vector<SenderFlow> flows;
};

// One flow's counters with its labels, for /metrics.
struct FlowSample {
  std::string session_id;
  std::string user_id;
  std::uint64_t flow_id = 0;
  bool incoming = true;  // a sender's flow; false: a receiver's
  std::uint64_t packets = 0, bytes = 0, losses = 0, drops = 0;
};

class RouteTable {
 public:
  // Replaces the session's routes (no tracks: forgets the session).
  void publish(const SessionRoutes& routes);
  // The flows `connection` sends, or nullptr. Any thread.
  std::shared_ptr<const SenderRoutes> lookup(std::uint64_t connection) const;
  std::vector<FlowSample> samples() const;
  std::size_t session_count() const;

 private:
  struct Labelled {
    std::string user_id;
    std::uint64_t flow_id = 0;
    bool incoming = true;
    std::shared_ptr<FlowCounters> counters;
  };
  struct Compiled {
    SessionRoutes source;
    std::vector<std::pair<std::uint64_t, SenderFlow>> flows;  // sender connection, flow
    std::vector<Labelled> counters;
  };
  static Compiled compile(const SessionRoutes& routes, const Compiled* previous);
  void reindex(std::uint64_t connection);  // under mutex_

  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, std::shared_ptr<const SenderRoutes>> senders;
  };
  Shard& shard(std::uint64_t connection) const { return shards_[connection % kShards]; }

  mutable std::mutex mutex_;  // publications and samples
  std::map<std::string, Compiled> sessions_;
  std::unordered_map<std::uint64_t, std::set<std::string>> sessions_by_sender_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace qsip::server::media
