#include "server/queue/queue_types.hpp"

#include <array>
#include <utility>

namespace qsip::server {

namespace {
constexpr std::array<std::pair<ItemState, std::string_view>, 6> kNames{{
    {ItemState::kPending, "PENDING"},
    {ItemState::kOffered, "OFFERED_TO_AGENT"},
    {ItemState::kAssigned, "ASSIGNED_TO_AGENT"},
    {ItemState::kActive, "ACTIVE_WITH_AGENT"},
    {ItemState::kResolved, "RESOLVED"},
    {ItemState::kAbandoned, "ABANDONED"},
}};
}  // namespace

std::string_view state_name(ItemState state) {
  for (const auto& [s, name] : kNames)
    if (s == state) return name;
  return "PENDING";
}

std::optional<ItemState> parse_state(std::string_view name) {
  for (const auto& [s, n] : kNames)
    if (n == name) return s;
  return std::nullopt;
}

}  // namespace qsip::server
