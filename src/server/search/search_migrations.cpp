#include "server/search/search_migrations.hpp"

namespace qsip::server {
namespace {

// External content (content='messages'): the index keeps only the tokens,
// the text stays in messages.search_text, where snippet() reads it. The
// triggers are FTS5's own pattern for such tables: every row is indexed,
// including those without words (MESSAGE_ACTION, REACTION, deleted
// messages: no tokens, so never found), because FTS5 expects one entry per
// content row ('rebuild' and 'integrity-check' count them), and its
// 'delete' must be given exactly the text that was indexed. A message the
// messaging module deletes has its text blanked: the update trigger takes
// its words out. unicode61 with remove_diacritics 2: "cafe" finds "café".
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE VIRTUAL TABLE message_search USING fts5(
        search_text, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
        INSERT INTO message_search(rowid, search_text) VALUES (new.seq, new.search_text);
      END;
      CREATE TRIGGER message_search_update AFTER UPDATE OF search_text ON messages BEGIN
        INSERT INTO message_search(message_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
        INSERT INTO message_search(rowid, search_text) VALUES (new.seq, new.search_text);
      END;
      CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
        INSERT INTO message_search(message_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
      END;
      -- The messages stored before this migration.
      INSERT INTO message_search(message_search) VALUES ('rebuild');
    )sql"},
};

}  // namespace

std::span<const store::Migration> search_migrations() { return kMigrations; }

}  // namespace qsip::server
