#include "server/presence/presence_state.hpp"

#include <array>

namespace qsip::server {

int status_rank(std::string_view status) {
  static constexpr std::array<std::string_view, 5> kOrder = {"available", "busy", "dnd", "away", "offline"};
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == status) return static_cast<int>(i);
  return static_cast<int>(kOrder.size()) - 1;
}

PresenceInfo aggregate(const std::vector<DevicePresence>& devices) {
  const DevicePresence* winner = nullptr;
  for (const auto& d : devices) {
    if (!winner) {
      winner = &d;
      continue;
    }
    int rank = status_rank(d.info.status), best = status_rank(winner->info.status);
    if (rank < best || (rank == best && d.sequence > winner->sequence)) winner = &d;
  }
  return winner ? winner->info : PresenceInfo{};
}

}  // namespace qsip::server
