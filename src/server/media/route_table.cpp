#include "server/media/route_table.hpp"

#include "server/media/layer_choice.hpp"

namespace qsip::server::media {

RouteTable::Compiled RouteTable::compile(const SessionRoutes& routes, const Compiled* previous) {
  Compiled out;
  out.source = routes;
  // Counters carry over when the same user's flow is published again.
  auto counters_for = [&](const std::string& user, std::uint64_t flow, bool incoming) {
    for (const auto& c : out.counters)
      if (c.incoming == incoming && c.flow_id == flow && c.user_id == user) return c.counters;
    std::shared_ptr<FlowCounters> found;
    if (previous)
      for (const auto& c : previous->counters)
        if (c.incoming == incoming && c.flow_id == flow && c.user_id == user) found = c.counters;
    if (!found) found = std::make_shared<FlowCounters>();
    out.counters.push_back({user, flow, incoming, found});
    return found;
  };
  for (const auto& track : routes.tracks) {
    if (track.layers.empty()) continue;
    auto compiled = std::make_shared<TrackRoute>();
    compiled->layers = track.layers;
    for (const auto& r : track.receivers)
      compiled->receivers.push_back(
          {r.connection_id, r.flow_id, layer_index(track.layers, r.requested_rid), counters_for(r.user_id, r.flow_id, false)});
    std::shared_ptr<const TrackRoute> shared = std::move(compiled);
    for (std::size_t i = 0; i < track.layers.size(); ++i)
      out.flows.emplace_back(track.sender_connection,
                             SenderFlow{track.layers[i].flow_id, i, shared,
                                        counters_for(track.sender_user, track.layers[i].flow_id, true)});
  }
  return out;
}

void RouteTable::publish(const SessionRoutes& routes) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(routes.session_id);
  if (it != sessions_.end() && it->second.source == routes) return;
  std::set<std::uint64_t> touched;
  if (it != sessions_.end()) {
    for (const auto& [connection, flow] : it->second.flows) {
      touched.insert(connection);
      auto& set = sessions_by_sender_[connection];
      set.erase(routes.session_id);
      if (set.empty()) sessions_by_sender_.erase(connection);
    }
  }
  if (routes.tracks.empty()) {
    if (it != sessions_.end()) sessions_.erase(it);
  } else {
    auto compiled = compile(routes, it != sessions_.end() ? &it->second : nullptr);
    for (const auto& [connection, flow] : compiled.flows) {
      touched.insert(connection);
      sessions_by_sender_[connection].insert(routes.session_id);
    }
    sessions_[routes.session_id] = std::move(compiled);
  }
  for (auto connection : touched) reindex(connection);
}

void RouteTable::reindex(std::uint64_t connection) {
  std::shared_ptr<const SenderRoutes> routes;
  if (auto it = sessions_by_sender_.find(connection); it != sessions_by_sender_.end()) {
    auto built = std::make_shared<SenderRoutes>();
    for (const auto& session_id : it->second)
      for (const auto& [sender, flow] : sessions_.at(session_id).flows)
        if (sender == connection) built->flows.push_back(flow);
    routes = std::move(built);
  }
  auto& s = shard(connection);
  std::shared_ptr<const SenderRoutes> old;  // released after the lock
  std::lock_guard lock(s.mutex);
  if (routes) {
    old = std::exchange(s.senders[connection], std::move(routes));
  } else if (auto found = s.senders.find(connection); found != s.senders.end()) {
    old = std::move(found->second);
    s.senders.erase(found);
  }
}

std::shared_ptr<const SenderRoutes> RouteTable::lookup(std::uint64_t connection) const {
  auto& s = shard(connection);
  std::lock_guard lock(s.mutex);
  auto it = s.senders.find(connection);
  return it == s.senders.end() ? nullptr : it->second;
}

std::vector<FlowSample> RouteTable::samples() const {
  std::vector<FlowSample> out;
  std::lock_guard lock(mutex_);
  for (const auto& [session_id, compiled] : sessions_)
    for (const auto& c : compiled.counters) {
      const auto& k = *c.counters;
      out.push_back({session_id, c.user_id, c.flow_id, c.incoming, k.packets.load(std::memory_order_relaxed),
                     k.bytes.load(std::memory_order_relaxed), k.losses.load(std::memory_order_relaxed),
                     k.drops.load(std::memory_order_relaxed)});
    }
  return out;
}

std::size_t RouteTable::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace qsip::server::media
