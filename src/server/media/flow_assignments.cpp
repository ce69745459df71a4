#include "server/media/flow_assignments.hpp"

#include "core/varint.hpp"

namespace qsip::server::media {

std::uint64_t FlowAssignments::assign(const std::string& receiver, const std::string& sender, const std::string& track,
                                      std::uint64_t preferred) {
  auto& r = receivers_[receiver];
  auto key = std::make_pair(sender, track);
  if (auto it = r.by_track.find(key); it != r.by_track.end()) return it->second;
  std::uint64_t flow = preferred;
  if (flow > core::kMaxVarint || r.used.count(flow)) {
    flow = 0;
    while (r.used.count(flow)) ++flow;  // `used` is small: at most participants x tracks
  }
  r.used.insert(flow);
  r.by_track.emplace(std::move(key), flow);
  return flow;
}

std::optional<std::uint64_t> FlowAssignments::find(const std::string& receiver, const std::string& sender,
                                                   const std::string& track) const {
  auto r = receivers_.find(receiver);
  if (r == receivers_.end()) return std::nullopt;
  auto it = r->second.by_track.find({sender, track});
  if (it == r->second.by_track.end()) return std::nullopt;
  return it->second;
}

void FlowAssignments::release_track(const std::string& sender, const std::string& track) {
  for (auto& [name, r] : receivers_) {
    auto it = r.by_track.find({sender, track});
    if (it == r.by_track.end()) continue;
    r.used.erase(it->second);
    r.by_track.erase(it);
  }
}

void FlowAssignments::release_user(const std::string& user) {
  receivers_.erase(user);
  for (auto& [name, r] : receivers_) {
    for (auto it = r.by_track.begin(); it != r.by_track.end();) {
      if (it->first.first == user) {
        r.used.erase(it->second);
        it = r.by_track.erase(it);
      } else {
        ++it;
      }
    }
  }
}

std::size_t FlowAssignments::size() const {
  std::size_t n = 0;
  for (const auto& [name, r] : receivers_) n += r.by_track.size();
  return n;
}

}  // namespace qsip::server::media
