#include "server/queue/queue_priority.hpp"

namespace qsip::server {

std::optional<std::int64_t> priority_from_name(std::string_view name) {
  if (name == "low") return kPriorityLow;
  if (name == "normal") return kPriorityNormal;
  if (name == "high") return kPriorityHigh;
  return std::nullopt;
}

}  // namespace qsip::server
