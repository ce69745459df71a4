// QUEUE `priority` (draft 5.16: "high", "normal", 10): one integer scale,
// higher served first. The names stand for points on it so that names and
// numbers order against each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qsip::server {

inline constexpr std::int64_t kPriorityLow = 0;
inline constexpr std::int64_t kPriorityNormal = 50;
inline constexpr std::int64_t kPriorityHigh = 100;
inline constexpr std::int64_t kMaxPriority = 1000;  // numbers from 0 to this

// "low", "normal", "high"; nullopt for any other name.
std::optional<std::int64_t> priority_from_name(std::string_view name);

}  // namespace qsip::server
