// One ANALYTICS event from a client (draft 5.19), validated and bounded
// (docs/analytics.md "Events"): what the aggregator counts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::server {

inline constexpr std::size_t kMaxAnalyticsPayloadBytes = 4096;  // the payload, minified
inline constexpr std::size_t kMaxAnalyticsNameBytes = 128;      // event_name, metric
inline constexpr std::size_t kMaxAnalyticsDimensions = 16;
inline constexpr std::size_t kMaxAnalyticsDimensionKeyBytes = 64;
inline constexpr std::size_t kMaxAnalyticsDimensionValueBytes = 128;
inline constexpr std::size_t kMaxAnalyticsStringValueBytes = 64;

struct AnalyticsEvent {
  std::string event_name;
  std::string metric;  // empty: the event itself is counted
  // A number is summed and bucketed; a string is counted per value.
  std::variant<std::monostate, double, std::string> value;
  // A JSON object with the keys in byte order and no spaces: the same
  // dimensions always read the same, whatever order the client sent.
  std::string dimensions_json = "{}";
  std::string user_id;  // kept only for distinct-user counts (include_user_ids)
};

// 4001 naming the field, or 4004 for a payload beyond kMaxAnalyticsPayloadBytes.
core::Outcome<AnalyticsEvent> parse_analytics_event(const core::MessageView& message);

// The canonical text of a dimensions object (string, number and boolean
// members, keys sorted); nullopt with `error` naming the member otherwise.
std::optional<std::string> canonical_dimensions(simdjson::dom::object dimensions, std::string& error);

}  // namespace qsip::server
