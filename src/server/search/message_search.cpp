#include "server/search/message_search.hpp"

#include "core/json_writer.hpp"
#include "server/search/fts_query.hpp"

namespace qsip::server {
namespace {

// The visibility rule, once, for the page and for the count. CROSS JOIN
// keeps the FTS5 table outermost: the index yields the matches, each is
// then checked against its messages row by primary key (the other way
// round would scan the searcher's whole history). ?1 the MATCH expression,
// ?2 the searcher, ?3 a JSON array of the searcher's groups.
#define QSIP_VISIBLE_MATCHES                                                              \
  " FROM message_search CROSS JOIN messages m ON m.seq = message_search.rowid"            \
  " WHERE message_search MATCH ?1 AND m.kind = 'MESSAGE'"                                 \
  " AND ((m.to_group = '' AND (m.to_user = ?2 OR m.sender_user = ?2))"                    \
  "      OR (m.to_group != '' AND m.to_group IN (SELECT value FROM json_each(?3))))"

// bm25() cannot be used in a query with a window function, so it is
// computed in a subquery; count(*) OVER () counts every visible match
// before LIMIT, for the answer's `total`, in the same pass that ranks them.
constexpr const char* kPageSql =
    "SELECT seq, count(*) OVER () FROM ("
    "SELECT message_search.rowid AS seq, bm25(message_search) AS score" QSIP_VISIBLE_MATCHES
    ") ORDER BY score, seq DESC LIMIT ?4 OFFSET ?5";

// For a page past the last match, where the page query has no row to carry the count.
constexpr const char* kCountSql = "SELECT count(*)" QSIP_VISIBLE_MATCHES;

#undef QSIP_VISIBLE_MATCHES

// One hit's columns and snippet, by seq: done for the page only, as
// snippet() reads and tokenizes the text again. The payload is the edited
// one when the message was edited (current_payload, docs/messaging.md),
// so that it says what the snippet shows.
constexpr const char* kHitSql =
    "SELECT m.message_id, m.sender_user, m.sender_device, m.to_user, m.to_group, m.thread_id, m.created_at,"
    " CASE m.current_payload WHEN '' THEN coalesce(json_extract(m.envelope, '$.payload'), '')"
    " ELSE m.current_payload END, snippet(message_search, 0, ?3, ?4, ?5, ?6)"
    " FROM message_search CROSS JOIN messages m ON m.seq = message_search.rowid"
    " WHERE message_search MATCH ?1 AND message_search.rowid = ?2";

std::string json_array(const std::vector<std::string>& items) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_array();
  for (const auto& item : items) w.value(item);
  w.end_array();
  return out;
}

std::string bounded_snippet(std::string snippet) {
  if (snippet.size() <= kMaxSnippetBytes) return snippet;
  std::size_t end = kMaxSnippetBytes;
  while (end > 0 && (static_cast<unsigned char>(snippet[end]) & 0xC0) == 0x80) --end;  // not inside a character
  snippet.resize(end);
  snippet += kSnippetEllipsis;
  return snippet;
}

}  // namespace

MessagePage search_messages(store::SqliteDatabase& reader, GroupMembership& groups, const std::string& searcher,
                            std::string_view query, std::int64_t limit, std::int64_t offset) {
  MessagePage page;
  const std::string match = fts_match_expression(query);
  if (match.empty()) return page;  // punctuation only: nothing to look for
  const std::string group_ids = json_array(groups.groups_of(reader, searcher));

  std::vector<std::int64_t> seqs;
  auto& ranked = reader.cached(kPageSql);
  ranked.bind(1, match).bind(2, searcher).bind(3, group_ids).bind(4, limit).bind(5, offset);
  while (ranked.step()) {
    seqs.push_back(ranked.integer(0));
    page.total = ranked.integer(1);
  }
  if (seqs.empty() && offset > 0) {
    auto& count = reader.cached(kCountSql);
    count.bind(1, match).bind(2, searcher).bind(3, group_ids);
    if (count.step()) page.total = count.integer(0);
    count.reset();
  }

  auto& hit = reader.cached(kHitSql);
  for (auto seq : seqs) {
    hit.reset();
    hit.bind(1, match).bind(2, seq).bind(3, kSnippetOpen).bind(4, kSnippetClose).bind(5, kSnippetEllipsis);
    hit.bind(6, kSnippetTokens);
    // A message deleted since the ranking (blanked, so no longer matching)
    // has no row: it is left out.
    if (!hit.step()) continue;
    MessageHit h;
    h.seq = seq;
    h.message_id = hit.text(0);
    h.sender_user = hit.text(1);
    h.sender_device = hit.text(2);
    h.to_user = hit.text(3);
    h.to_group = hit.text(4);
    h.thread_id = hit.text(5);
    h.created_at_ms = hit.integer(6);
    h.payload = hit.text(7);
    h.snippet = bounded_snippet(hit.text(8));
    page.hits.push_back(std::move(h));
  }
  hit.reset();  // never keep the read snapshot past the search
  return page;
}

}  // namespace qsip::server
