#include "server/profile/profile_update.hpp"

#include "server/dispatch/iso_time.hpp"

namespace qsip::server {

namespace {
core::Failure malformed(std::string detail) { return core::Failure{core::ErrorCode::kMalformedPayload, std::move(detail), {}, {}}; }

std::optional<core::Failure> apply_visibility(Profile& p, simdjson::dom::element value) {
  if (value.is_null()) {
    p.visibility.clear();
    return std::nullopt;
  }
  simdjson::dom::object groups;
  if (value.get(groups)) return malformed("payload.profile_data.visibility: must be an object of group: level");
  for (auto [key, level] : groups) {
    std::string path = "payload.profile_data.visibility." + std::string(key);
    auto group = parse_field_group(key);
    if (!group) return malformed(path + ": unknown group (basic, status, work, other)");
    if (level.is_null()) {
      p.visibility.erase(*group);
      continue;
    }
    std::string_view name;
    auto parsed = level.get(name) ? std::nullopt : parse_visibility(name);
    if (!parsed) return malformed(path + ": must be everyone, contacts or nobody");
    p.visibility[*group] = *parsed;
  }
  return std::nullopt;
}
}  // namespace

core::Outcome<ProfileChange> apply_profile_data(Profile& profile, simdjson::dom::object data) {
  Profile next = profile;
  ProfileChange change;
  for (auto [key, value] : data) {
    std::string name(key);
    if (name == "visibility") {
      if (auto failure = apply_visibility(next, value)) return *failure;
      change.visibility = next.visibility != profile.visibility;
      continue;
    }
    if (value.is_null()) {
      if (next.fields.erase(name) == 0) continue;
      if (name == "custom_status_expires_at") next.status_expires_at_ms = 0;
    } else {
      if (name == "custom_status_expires_at") {
        std::string_view text;
        auto at = value.get(text) ? std::nullopt : parse_timestamp_ms(text);
        if (!at) return malformed("payload.profile_data.custom_status_expires_at: must be an ISO 8601 UTC timestamp");
        next.status_expires_at_ms = *at;
      }
      std::string json = simdjson::to_string(value);
      auto [it, inserted] = next.fields.try_emplace(name, json);
      if (!inserted) {
        if (it->second == json) continue;
        it->second = std::move(json);
      }
    }
    change.fields.push_back(std::move(name));
  }
  if (next.fields.size() > kMaxProfileFields)
    return malformed("payload.profile_data: a profile holds at most " + std::to_string(kMaxProfileFields) + " fields");
  profile = std::move(next);
  return change;
}

}  // namespace qsip::server
