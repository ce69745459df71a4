#include "server/search/fts_query.hpp"

namespace qsip::server {
namespace {

// ASCII controls and space separate words (so does NUL, which would
// otherwise end the text FTS5 reads).
bool separates(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Whether a word may yield a token. Non-ASCII bytes are kept: the
// tokenizer decides whether they are letters, and a phrase of punctuation
// alone simply matches nothing (or, next to other phrases, is neutral).
bool has_word_character(std::string_view word) {
  for (unsigned char c : word)
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

void append_phrase(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += '"';
  for (char c : word) {
    if (c == '"') out += '"';  // inside an FTS5 string, "" is a literal quote
    out += c;
  }
  out += '"';
}

}  // namespace

std::string fts_match_expression(std::string_view query) {
  std::string out;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && separates(static_cast<unsigned char>(query[i]))) ++i;
    std::size_t start = i;
    while (i < query.size() && !separates(static_cast<unsigned char>(query[i]))) ++i;
    auto word = query.substr(start, i - start);
    if (has_word_character(word)) append_phrase(out, word);
  }
  return out;
}

}  // namespace qsip::server
