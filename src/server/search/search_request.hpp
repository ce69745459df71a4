// A SEARCH request (draft 5.28) as the search module acts on it: the
// action, the query and the page, with the limits qsip sets where the draft
// sets none (docs/search.md "Limits"). Refusals are 4001 naming the field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::server {

enum class SearchAction { kMessage, kUser, kGroup };

inline constexpr std::size_t kMaxSearchQueryBytes = 256;  // bounds the FTS5 expression and the LIKE scans
inline constexpr std::int64_t kDefaultSearchLimit = 20;
inline constexpr std::int64_t kMaxSearchLimit = 100;
// Deeper pages cost as much as the first (every match is ranked); the bound
// only stops nonsense values.
inline constexpr std::int64_t kMaxSearchOffset = 10000;

struct SearchRequest {
  SearchAction action = SearchAction::kMessage;
  std::string query;
  std::int64_t limit = kDefaultSearchLimit;
  std::int64_t offset = 0;
};

std::string_view to_string(SearchAction action);

// Reads a validated SEARCH message; the validator has already refused a
// missing query, an unknown action and negative or fractional numbers.
core::Outcome<SearchRequest> parse_search_request(const core::MessageView& message);

}  // namespace qsip::server
