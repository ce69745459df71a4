// Reading the server's compact JSON frames as text: the generator runs on
// one core like the server, so its side stays cheap by finding member
// patterns instead of parsing.
#pragma once

#include <string_view>

namespace qsip::bench {

inline bool contains(std::string_view body, std::string_view what) { return body.find(what) != std::string_view::npos; }

// The string value after `pattern` (e.g. "\"message_id\":\""), up to its closing quote.
inline std::string_view member(std::string_view body, std::string_view pattern) {
  auto at = body.find(pattern);
  if (at == std::string_view::npos) return {};
  at += pattern.size();
  auto end = body.find('"', at);
  return end == std::string_view::npos ? std::string_view{} : body.substr(at, end - at);
}

}  // namespace qsip::bench
