// SEARCH action "message": full-text search of the message stream through
// the FTS5 index (search_migrations.hpp), over what the searcher may read:
//  - MESSAGEs of its direct conversations (to_user or sender_user is the
//    searcher, no group);
//  - MESSAGEs of the groups GroupMembership says it belongs to now.
// Nothing else: not another user's direct messages, not a group it is not
// in (even one it wrote to before leaving), not MESSAGE_ACTION or
// REACTION events, not deleted messages (their search_text is blanked,
// which takes them out of the index). Ranked by bm25, newest first on ties.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/search/group_membership.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct MessageHit {
  std::int64_t seq = 0;
  std::string message_id;
  std::string sender_user;
  std::string sender_device;
  std::string to_user;   // direct: the recipient; empty for a group
  std::string to_group;  // group or channel id; empty for a direct message
  std::string thread_id;
  std::int64_t created_at_ms = 0;
  std::string snippet;   // the matching passage, matches between the snippet markers
  std::string payload;   // the payload as it stands (JSON): the envelope's, or the last edit's; "" if unreadable
};

struct MessagePage {
  std::vector<MessageHit> hits;
  std::int64_t total = 0;  // every visible match, not only this page
};

// Markers around matched words in MessageHit::snippet, and what marks cut text.
inline constexpr std::string_view kSnippetOpen = "\u00ab";   // «
inline constexpr std::string_view kSnippetClose = "\u00bb";  // »
inline constexpr std::string_view kSnippetEllipsis = "\u2026";
inline constexpr int kSnippetTokens = 16;
// Sixteen tokens are short unless someone sends one very long "word": the
// snippet is then cut (at a character boundary, ending in the ellipsis).
inline constexpr std::size_t kMaxSnippetBytes = 512;

// The page [offset, offset + limit) of the matches of `query` (as the user
// typed it: fts_query.hpp makes it safe) that `searcher` may read. Reads on
// `reader`, the calling worker's connection; throws store::StoreError.
MessagePage search_messages(store::SqliteDatabase& reader, GroupMembership& groups, const std::string& searcher,
                            std::string_view query, std::int64_t limit, std::int64_t offset);

}  // namespace qsip::server
