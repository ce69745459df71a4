#include "server/search/search_request.hpp"

#include <cmath>
#include <optional>

namespace qsip::server {
namespace {

core::Failure refuse(const core::MessageView& m, std::string detail) {
  return core::Failure{core::ErrorCode::kMalformedPayload, std::move(detail), std::string(m.message_id), {}};
}

// An integer member, however JSON wrote it (20, 20.0). nullopt when absent
// or null; `bad` set when it is present but not an integer in int64 range.
std::optional<std::int64_t> integer_member(const core::MessageView& m, std::string_view key, bool& bad) {
  simdjson::dom::element value;
  if (m.payload[key].get(value) || value.is_null()) return std::nullopt;
  std::int64_t n = 0;
  if (!value.get(n)) return n;
  double d = 0;
  // 2^63 is exactly representable; anything at or above it is out of range.
  if (!value.get(d) && std::isfinite(d) && std::floor(d) == d && d >= -9.2e18 && d < 9.2e18)
    return static_cast<std::int64_t>(d);
  bad = true;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(SearchAction action) {
  switch (action) {
    case SearchAction::kMessage: return "message";
    case SearchAction::kUser: return "user";
    case SearchAction::kGroup: return "group";
  }
  return "message";
}

core::Outcome<SearchRequest> parse_search_request(const core::MessageView& m) {
  SearchRequest r;
  auto action = m.payload_string("action");
  if (action == "message") {
    r.action = SearchAction::kMessage;
  } else if (action == "user") {
    r.action = SearchAction::kUser;
  } else if (action == "group") {
    r.action = SearchAction::kGroup;
  } else {
    return refuse(m, "payload.action: must be user, group or message");
  }

  std::string_view query;
  if (m.payload["query"].get(query)) return refuse(m, "payload.query: required");
  if (query.empty()) return refuse(m, "payload.query: required (empty)");
  if (query.size() > kMaxSearchQueryBytes)
    return refuse(m, "payload.query: longer than " + std::to_string(kMaxSearchQueryBytes) + " bytes");
  r.query = std::string(query);

  // Out of range includes numbers beyond int64 (the validator sets no maximum).
  const std::string limit_range = "payload.limit: must be 1 to " + std::to_string(kMaxSearchLimit);
  const std::string offset_range = "payload.offset: must be 0 to " + std::to_string(kMaxSearchOffset);
  bool bad = false;
  if (auto limit = integer_member(m, "limit", bad)) {
    if (*limit < 1 || *limit > kMaxSearchLimit) return refuse(m, limit_range);
    r.limit = *limit;
  }
  if (bad) return refuse(m, limit_range);
  if (auto offset = integer_member(m, "offset", bad)) {
    if (*offset < 0 || *offset > kMaxSearchOffset) return refuse(m, offset_range);
    r.offset = *offset;
  }
  if (bad) return refuse(m, offset_range);
  return r;
}

}  // namespace qsip::server
