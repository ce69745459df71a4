// Turning what a user typed into an FTS5 MATCH expression that can never be
// read as FTS5 syntax: every whitespace-separated word becomes one quoted
// phrase ("foo-bar" finds the adjacent tokens foo bar), the phrases are
// ANDed, and FTS5 operators, column filters, prefixes and parentheses the
// user typed are only characters inside quotes. A word made only of ASCII
// punctuation carries no token and is dropped.
#pragma once

#include <string>
#include <string_view>

namespace qsip::server {

// The MATCH expression for `query` (valid UTF-8), or "" when it holds no
// word to search for (the caller answers with no results: FTS5 refuses an
// empty expression).
std::string fts_match_expression(std::string_view query);

}  // namespace qsip::server
