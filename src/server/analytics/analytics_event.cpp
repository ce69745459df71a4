#include "server/analytics/analytics_event.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {

core::Failure refuse(const core::MessageView& m, std::string detail,
                     core::ErrorCode code = core::ErrorCode::kMalformedPayload) {
  return core::Failure{code, std::move(detail), std::string(m.message_id), {}};
}

}  // namespace

std::optional<std::string> canonical_dimensions(simdjson::dom::object dimensions, std::string& error) {
  std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
  for (auto field : dimensions) {
    if (members.size() == kMaxAnalyticsDimensions) {
      error = "payload.dimensions: more than " + std::to_string(kMaxAnalyticsDimensions) + " members";
      return std::nullopt;
    }
    const std::string name = "payload.dimensions." + std::string(field.key.substr(0, kMaxAnalyticsDimensionKeyBytes));
    if (field.key.empty() || field.key.size() > kMaxAnalyticsDimensionKeyBytes) {
      error = "payload.dimensions: keys must be 1 to " + std::to_string(kMaxAnalyticsDimensionKeyBytes) + " bytes";
      return std::nullopt;
    }
    auto type = field.value.type();
    if (type == simdjson::dom::element_type::STRING) {
      if (std::string_view(field.value).size() > kMaxAnalyticsDimensionValueBytes) {
        error = name + ": longer than " + std::to_string(kMaxAnalyticsDimensionValueBytes) + " bytes";
        return std::nullopt;
      }
    } else if (type == simdjson::dom::element_type::ARRAY || type == simdjson::dom::element_type::OBJECT ||
               type == simdjson::dom::element_type::NULL_VALUE) {
      error = name + ": must be a string, a number or a boolean";
      return std::nullopt;
    }
    members.emplace_back(field.key, field.value);
  }
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < members.size(); ++i)
    if (members[i].first == members[i - 1].first) {
      error = "payload.dimensions." + std::string(members[i].first) + ": given twice";
      return std::nullopt;
    }
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  for (const auto& [key, value] : members) w.key(key).raw(simdjson::minify(value));
  w.end_object();
  return out;
}

core::Outcome<AnalyticsEvent> parse_analytics_event(const core::MessageView& m) {
  if (simdjson::minify(m.payload).size() > kMaxAnalyticsPayloadBytes)
    return refuse(m, "payload: larger than " + std::to_string(kMaxAnalyticsPayloadBytes) + " bytes",
                  core::ErrorCode::kMessageTooLarge);
  AnalyticsEvent e;
  std::string_view name;
  if (m.payload["event_name"].get(name) || name.empty()) return refuse(m, "payload.event_name: required");
  if (name.size() > kMaxAnalyticsNameBytes)
    return refuse(m, "payload.event_name: longer than " + std::to_string(kMaxAnalyticsNameBytes) + " bytes");
  e.event_name = std::string(name);
  std::string_view metric = m.payload_string("metric");
  if (metric.size() > kMaxAnalyticsNameBytes)
    return refuse(m, "payload.metric: longer than " + std::to_string(kMaxAnalyticsNameBytes) + " bytes");
  e.metric = std::string(metric);
  simdjson::dom::element value;
  if (!m.payload["value"].get(value) && !value.is_null()) {
    double d = 0;
    std::string_view text;
    if (!value.get(d)) {
      if (!std::isfinite(d)) return refuse(m, "payload.value: must be a finite number");
      e.value = d;
    } else if (!value.get(text)) {
      if (text.size() > kMaxAnalyticsStringValueBytes)
        return refuse(m, "payload.value: a string value is at most " + std::to_string(kMaxAnalyticsStringValueBytes) +
                             " bytes");
      e.value = std::string(text);
    } else if (bool b = false; !value.get(b)) {
      e.value = std::string(b ? "true" : "false");
    } else {
      return refuse(m, "payload.value: must be a number or a string");
    }
  }
  simdjson::dom::object dimensions;
  if (!m.payload["dimensions"].get(dimensions)) {
    std::string error;
    auto canonical = canonical_dimensions(dimensions, error);
    if (!canonical) return refuse(m, error);
    e.dimensions_json = std::move(*canonical);
  }
  e.user_id = std::string(m.from_user_id);
  return e;
}

}  // namespace qsip::server
