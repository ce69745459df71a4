#include "store/sqlite/sqlite_message_store.hpp"

#include <algorithm>
#include <memory>

#include "core/json_writer.hpp"

namespace qsip::store {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
      -- One ordered stream of durable events; seq is the order and never reused
      -- (AUTOINCREMENT: a deleted last row does not give its seq back).
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        sender_user TEXT NOT NULL,
        sender_device TEXT NOT NULL,
        message_id TEXT NOT NULL,
        to_user TEXT NOT NULL DEFAULT '',
        to_group TEXT NOT NULL DEFAULT '',
        thread_id TEXT NOT NULL DEFAULT '',
        reply_to TEXT NOT NULL DEFAULT '',
        target_message_id TEXT NOT NULL DEFAULT '',
        priority TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,        -- Unix ms
        envelope TEXT NOT NULL,             -- the JSON envelope as received
        search_text TEXT NOT NULL DEFAULT '',
        state INTEGER NOT NULL DEFAULT 1,   -- store::MessageState
        deleted INTEGER NOT NULL DEFAULT 0,
        edited_at INTEGER NOT NULL DEFAULT 0,       -- Unix ms of the last edit
        current_payload TEXT NOT NULL DEFAULT '',   -- after edits; '' = the envelope's own
        ephemeral_ttl INTEGER NOT NULL DEFAULT 0,   -- seconds after the first delivery (0 = kept)
        expires_at INTEGER NOT NULL DEFAULT 0,      -- Unix ms, set at the first delivery
        UNIQUE (sender_user, message_id)    -- de-duplication (wire profile 6)
      );
      -- Which messages reference which stored files (downloads are allowed to
      -- those who can see such a message).
      CREATE TABLE message_files (
        file_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (file_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX messages_expiry ON messages(expires_at) WHERE expires_at > 0 AND deleted = 0;
      -- MESSAGEs with a schedule_time, held until then; they enter the stream
      -- (and get their seq) when released.
      CREATE TABLE scheduled_messages (
        sender_user TEXT NOT NULL,
        sender_device TEXT NOT NULL,
        message_id TEXT NOT NULL,
        to_user TEXT NOT NULL DEFAULT '',
        to_group TEXT NOT NULL DEFAULT '',
        thread_id TEXT NOT NULL DEFAULT '',
        reply_to TEXT NOT NULL DEFAULT '',
        priority TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        envelope TEXT NOT NULL,
        search_text TEXT NOT NULL DEFAULT '',
        ephemeral_ttl INTEGER NOT NULL DEFAULT 0,
        file_ids TEXT NOT NULL DEFAULT '',   -- referenced files, one per line
        deliver_at INTEGER NOT NULL,
        PRIMARY KEY (sender_user, message_id)
      ) WITHOUT ROWID;
      CREATE INDEX scheduled_due ON scheduled_messages(deliver_at);
      CREATE INDEX messages_id ON messages(message_id);
      -- Edit history: each edit keeps the payload it replaced.
      CREATE TABLE message_edits (
        seq INTEGER NOT NULL,
        edited_at INTEGER NOT NULL,
        previous_payload TEXT NOT NULL
      );
      CREATE INDEX message_edits_seq ON message_edits(seq);
      -- Reactions, aggregated per message: one row per (message, user, emoji).
      CREATE TABLE reactions (
        seq INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        reaction TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (seq, user_id, reaction)
      ) WITHOUT ROWID;
      -- Full (not partial) indexes: a partial one is not used for "to_user = ?"
      -- with a bound parameter, and the device feed's query then scans.
      CREATE INDEX messages_to_user ON messages(to_user, seq);
      CREATE INDEX messages_sender ON messages(sender_user, seq);
      CREATE INDEX messages_to_group ON messages(to_group, seq);
      CREATE INDEX messages_thread ON messages(thread_id) WHERE thread_id != '';
      -- Per device: the last seq it acknowledged.
      CREATE TABLE device_cursors (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_id)
      ) WITHOUT ROWID;
    )sql"},
};

constexpr const char* kColumns =
    "seq, kind, sender_user, sender_device, message_id, to_user, to_group, thread_id, reply_to, "
    "target_message_id, priority, created_at, envelope, search_text, state, ephemeral_ttl";

// A list of ids as one bound parameter: a JSON array, read back with json_each().
std::string json_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ',';
    core::append_json_string(out, id);
  }
  out += ']';
  return out;
}

StoredEvent read_event(const Statement& q) {
  StoredEvent e;
  e.seq = q.integer(0);
  e.kind = q.text(1);
  e.sender_user = q.text(2);
  e.sender_device = q.text(3);
  e.message_id = q.text(4);
  e.to_user = q.text(5);
  e.to_group = q.text(6);
  e.thread_id = q.text(7);
  e.reply_to = q.text(8);
  e.target_message_id = q.text(9);
  e.priority = q.text(10);
  e.created_at_ms = q.integer(11);
  e.envelope = q.text(12);
  e.search_text = q.text(13);
  e.state = static_cast<MessageState>(q.integer(14));
  e.ephemeral_ttl_s = q.integer(15);
  return e;
}

}  // namespace

std::span<const Migration> message_migrations() { return kMigrations; }

AppendOutcome SqliteMessageStore::insert(SqliteDatabase& db, const StoredEvent& e) {
  // Not while the same message is held for later (a resend without its schedule_time).
  auto& q = db.cached(
      "INSERT INTO messages (kind, sender_user, sender_device, message_id, to_user, to_group, thread_id, reply_to, "
      "target_message_id, priority, created_at, envelope, search_text, state, ephemeral_ttl) "
      "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 WHERE NOT EXISTS "
      "(SELECT 1 FROM scheduled_messages WHERE sender_user = ?2 AND message_id = ?4) "
      "ON CONFLICT (sender_user, message_id) DO NOTHING");
  q.bind(1, e.kind).bind(2, e.sender_user).bind(3, e.sender_device).bind(4, e.message_id).bind(5, e.to_user);
  q.bind(6, e.to_group).bind(7, e.thread_id).bind(8, e.reply_to).bind(9, e.target_message_id).bind(10, e.priority);
  q.bind(11, e.created_at_ms).bind(12, e.envelope).bind(13, e.search_text).bind(14, static_cast<int>(e.state));
  q.bind(15, e.ephemeral_ttl_s);
  q.run();
  AppendOutcome out;
  out.stored = true;
  if (db.changes() > 0) {
    out.seq = db.last_insert_rowid();
    for (const auto& file_id : e.file_ids)
      db.cached("INSERT INTO message_files (file_id, seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
          .bind(1, file_id)
          .bind(2, out.seq)
          .run();
    return out;
  }
  out.duplicate = true;
  auto& first = db.cached("SELECT seq FROM messages WHERE sender_user = ?1 AND message_id = ?2");
  first.bind(1, e.sender_user).bind(2, e.message_id);
  if (first.step()) out.seq = first.integer(0);
  first.reset();
  return out;
}

AppendOutcome SqliteMessageStore::insert_with_change(SqliteDatabase& db, const StoredEvent& e, const MessageChange& c) {
  using Kind = MessageChange::Kind;
  if (c.kind == Kind::kNone) return insert(db, e);
  // A repeated event changes nothing again.
  auto& seen = db.cached("SELECT seq FROM messages WHERE sender_user = ?1 AND message_id = ?2");
  seen.bind(1, e.sender_user).bind(2, e.message_id);
  if (seen.step()) {
    AppendOutcome out;
    out.stored = out.duplicate = true;
    out.seq = seen.integer(0);
    seen.reset();
    return out;
  }
  seen.reset();
  switch (c.kind) {
    case Kind::kEdit: {
      auto& history = db.cached(
          "INSERT INTO message_edits (seq, edited_at, previous_payload) SELECT seq, ?2, CASE current_payload WHEN '' "
          "THEN coalesce(json_extract(envelope, '$.payload'), '{}') ELSE current_payload END FROM messages WHERE seq = ?1");
      history.bind(1, c.target_seq).bind(2, e.created_at_ms).run();
      auto& edit = db.cached("UPDATE messages SET current_payload = ?2, search_text = ?3, edited_at = ?4 WHERE seq = ?1");
      edit.bind(1, c.target_seq).bind(2, c.new_payload).bind(3, c.new_search_text).bind(4, e.created_at_ms).run();
      break;
    }
    case Kind::kDelete: {
      // Deleted means gone: content, history and reactions; what stays says
      // only that there was a message (for SYNC and for devices that missed it).
      auto& del = db.cached(
          "UPDATE messages SET deleted = 1, search_text = '', current_payload = '', "
          "envelope = json_set(envelope, '$.payload', json_object('message_type', "
          "json_extract(envelope, '$.payload.message_type'), 'deleted', json('true'))) WHERE seq = ?1");
      del.bind(1, c.target_seq).run();
      db.cached("DELETE FROM message_edits WHERE seq = ?1").bind(1, c.target_seq).run();
      db.cached("DELETE FROM reactions WHERE seq = ?1").bind(1, c.target_seq).run();
      break;
    }
    case Kind::kReactionAdd:
    case Kind::kReactionRemove: {
      auto& q = c.kind == Kind::kReactionAdd
                    ? db.cached("INSERT INTO reactions (seq, user_id, reaction, created_at) VALUES (?1, ?2, ?3, ?4) "
                                "ON CONFLICT DO NOTHING")
                    : db.cached("DELETE FROM reactions WHERE seq = ?1 AND user_id = ?2 AND reaction = ?3");
      q.bind(1, c.target_seq).bind(2, c.user_id).bind(3, c.reaction);
      if (c.kind == Kind::kReactionAdd) q.bind(4, e.created_at_ms);
      q.run();
      if (db.changes() == 0) {
        AppendOutcome out;
        out.stored = out.unchanged = true;
        return out;
      }
      break;
    }
    case Kind::kNone:
      break;
  }
  return insert(db, e);
}

bool SqliteMessageStore::submit_outcome(std::function<AppendOutcome(SqliteDatabase&)> task,
                                        std::function<void(const AppendOutcome&)> done) {
  auto outcome = std::make_shared<AppendOutcome>();
  return writer_.submit([outcome, task = std::move(task)](SqliteDatabase& db) { *outcome = task(db); },
                        [outcome, done = std::move(done)](std::exception_ptr error) {
                          if (!done) return;
                          if (!error) return done(*outcome);
                          AppendOutcome failed;
                          try {
                            std::rethrow_exception(error);
                          } catch (const std::exception& e) {
                            failed.error = e.what();
                          } catch (...) {
                            failed.error = "unknown store failure";
                          }
                          done(failed);
                        });
}

bool SqliteMessageStore::append(StoredEvent event, MessageChange change, std::function<void(const AppendOutcome&)> done) {
  return submit_outcome(
      [event = std::move(event), change = std::move(change)](SqliteDatabase& db) {
        return insert_with_change(db, event, change);
      },
      std::move(done));
}

bool SqliteMessageStore::schedule(StoredEvent e, std::function<void(const AppendOutcome&)> done) {
  return submit_outcome(
      [e = std::move(e)](SqliteDatabase& db) {
        AppendOutcome out;
        out.stored = true;
        auto& known = db.cached("SELECT seq FROM messages WHERE sender_user = ?1 AND message_id = ?2");
        known.bind(1, e.sender_user).bind(2, e.message_id);
        if (known.step()) {
          out.duplicate = true;
          out.seq = known.integer(0);
          known.reset();
          return out;
        }
        known.reset();
        auto& q = db.cached(
            "INSERT INTO scheduled_messages (sender_user, sender_device, message_id, to_user, to_group, thread_id, "
            "reply_to, priority, created_at, envelope, search_text, ephemeral_ttl, deliver_at, file_ids) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING");
        q.bind(1, e.sender_user).bind(2, e.sender_device).bind(3, e.message_id).bind(4, e.to_user).bind(5, e.to_group);
        q.bind(6, e.thread_id).bind(7, e.reply_to).bind(8, e.priority).bind(9, e.created_at_ms).bind(10, e.envelope);
        q.bind(11, e.search_text).bind(12, e.ephemeral_ttl_s).bind(13, e.deliver_at_ms);
        std::string file_ids;
        for (const auto& id : e.file_ids) file_ids += id + "\n";
        q.bind(14, file_ids);
        q.run();
        out.duplicate = db.changes() == 0;
        return out;
      },
      std::move(done));
}

bool SqliteMessageStore::release(const std::string& sender_user, const std::string& message_id,
                                 std::function<void(const AppendOutcome&)> done) {
  return submit_outcome(
      [sender_user, message_id](SqliteDatabase& db) {
        auto& q = db.cached(
            "SELECT sender_user, sender_device, message_id, to_user, to_group, thread_id, reply_to, priority, created_at, "
            "envelope, search_text, ephemeral_ttl, file_ids FROM scheduled_messages WHERE sender_user = ?1 AND message_id = ?2");
        q.bind(1, sender_user).bind(2, message_id);
        if (!q.step()) {
          q.reset();
          AppendOutcome gone;
          gone.stored = gone.duplicate = true;  // released already
          return gone;
        }
        StoredEvent e;
        e.kind = "MESSAGE";
        e.sender_user = q.text(0);
        e.sender_device = q.text(1);
        e.message_id = q.text(2);
        e.to_user = q.text(3);
        e.to_group = q.text(4);
        e.thread_id = q.text(5);
        e.reply_to = q.text(6);
        e.priority = q.text(7);
        e.created_at_ms = q.integer(8);
        e.envelope = q.text(9);
        e.search_text = q.text(10);
        e.ephemeral_ttl_s = q.integer(11);
        const std::string file_ids = q.text(12);
        for (std::size_t at = 0, end; (end = file_ids.find('\n', at)) != std::string::npos; at = end + 1)
          e.file_ids.push_back(file_ids.substr(at, end - at));
        q.reset();
        db.cached("DELETE FROM scheduled_messages WHERE sender_user = ?1 AND message_id = ?2")
            .bind(1, sender_user)
            .bind(2, message_id)
            .run();
        return insert(db, e);
      },
      std::move(done));
}

bool SqliteMessageStore::drop_scheduled(const std::string& sender_user, const std::string& message_id) {
  return writer_.submit([sender_user, message_id](SqliteDatabase& db) {
    db.cached("DELETE FROM scheduled_messages WHERE sender_user = ?1 AND message_id = ?2")
        .bind(1, sender_user)
        .bind(2, message_id)
        .run();
  });
}

std::vector<StoredEvent> SqliteMessageStore::due_scheduled(std::int64_t now_ms, std::size_t limit) {
  reader_.end_open_reads();
  auto& q = reader_.cached(
      "SELECT sender_user, sender_device, message_id, to_user, to_group, envelope, deliver_at FROM scheduled_messages "
      "WHERE deliver_at <= ?1 ORDER BY deliver_at LIMIT ?2");
  q.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredEvent> out;
  while (q.step()) {
    StoredEvent e;
    e.kind = "MESSAGE";
    e.sender_user = q.text(0);
    e.sender_device = q.text(1);
    e.message_id = q.text(2);
    e.to_user = q.text(3);
    e.to_group = q.text(4);
    e.envelope = q.text(5);
    e.deliver_at_ms = q.integer(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<StoredEvent> SqliteMessageStore::due_expiries(std::int64_t now_ms, std::size_t limit) {
  reader_.end_open_reads();
  auto& q = reader_.cached(std::string("SELECT ") + kColumns +
                           " FROM messages WHERE expires_at > 0 AND expires_at <= ?1 AND deleted = 0 ORDER BY expires_at "
                           "LIMIT ?2");
  q.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredEvent> out;
  while (q.step()) out.push_back(read_event(q));
  return out;
}

std::optional<std::int64_t> SqliteMessageStore::next_timer_ms() {
  reader_.end_open_reads();
  auto& q = reader_.cached(
      "SELECT min(t) FROM (SELECT min(deliver_at) AS t FROM scheduled_messages UNION ALL "
      "SELECT min(expires_at) FROM messages WHERE expires_at > 0 AND deleted = 0)");
  std::optional<std::int64_t> next;
  if (q.step() && !q.is_null(0)) next = q.integer(0);
  q.reset();
  return next;
}

bool SqliteMessageStore::advance_cursor(const DeviceKey& device, std::int64_t seq) {
  return writer_.submit([device, seq](SqliteDatabase& db) {
    auto& q = db.cached(
        "INSERT INTO device_cursors (user_id, device_id, seq) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (user_id, device_id) DO UPDATE SET seq = max(seq, excluded.seq)");
    q.bind(1, device.user_id).bind(2, device.device_id).bind(3, seq).run();
  });
}

bool SqliteMessageStore::raise_state(const std::string& sender_user, const std::string& message_id,
                                     MessageState state, std::int64_t now_ms) {
  return writer_.submit([sender_user, message_id, state, now_ms](SqliteDatabase& db) {
    auto& q = db.cached(
        "UPDATE messages SET state = ?3, expires_at = CASE WHEN ephemeral_ttl > 0 AND expires_at = 0 AND ?3 >= 2 "
        "THEN ?4 + ephemeral_ttl * 1000 ELSE expires_at END "
        "WHERE sender_user = ?1 AND message_id = ?2 AND state < ?3");
    q.bind(1, sender_user).bind(2, message_id).bind(3, static_cast<int>(state)).bind(4, now_ms).run();
  });
}

std::optional<StoredEvent> SqliteMessageStore::find(const std::string& sender_user, const std::string& message_id) {
  reader_.end_open_reads();  // see every commit so far: the event may have been committed a moment ago
  auto& q = reader_.cached(std::string("SELECT ") + kColumns +
                           " FROM messages WHERE sender_user = ?1 AND message_id = ?2");
  q.bind(1, sender_user).bind(2, message_id);
  std::optional<StoredEvent> found;
  if (q.step()) found = read_event(q);
  q.reset();  // a single-row read must not keep the snapshot
  return found;
}

std::vector<StoredEvent> SqliteMessageStore::find_messages(const std::string& message_id) {
  reader_.end_open_reads();
  auto& q = reader_.cached(std::string("SELECT ") + kColumns + " FROM messages WHERE message_id = ?1 AND kind = 'MESSAGE'");
  q.bind(1, message_id);
  std::vector<StoredEvent> out;
  while (q.step()) out.push_back(read_event(q));
  return out;
}

bool SqliteMessageStore::file_referenced_for(const std::string& user_id, const std::vector<std::string>& groups,
                                             const std::string& file_id) {
  reader_.end_open_reads();
  auto& q = reader_.cached(
      "SELECT 1 FROM message_files f JOIN messages m ON m.seq = f.seq WHERE f.file_id = ?1 AND m.deleted = 0 "
      "AND ((m.to_group = '' AND (m.to_user = ?2 OR m.sender_user = ?2)) "
      "OR m.to_group IN (SELECT value FROM json_each(?3))) LIMIT 1");
  q.bind(1, file_id).bind(2, user_id).bind(3, json_list(groups));
  const bool found = q.step();
  q.reset();
  return found;
}

std::optional<MessageNow> SqliteMessageStore::now(std::int64_t seq) {
  reader_.end_open_reads();
  auto& q = reader_.cached(std::string("SELECT ") + kColumns +
                           ", deleted, edited_at, current_payload, (SELECT count(*) FROM message_edits e WHERE e.seq = "
                           "messages.seq) FROM messages WHERE seq = ?1");
  q.bind(1, seq);
  if (!q.step()) return std::nullopt;
  MessageNow m;
  m.event = read_event(q);
  m.deleted = q.integer(16) != 0;
  m.edited_at_ms = q.integer(17);
  m.current_payload = q.text(18);
  m.edit_count = static_cast<int>(q.integer(19));
  q.reset();
  auto& r = reader_.cached("SELECT reaction, user_id FROM reactions WHERE seq = ?1 ORDER BY reaction, created_at, user_id");
  r.bind(1, seq);
  while (r.step()) {
    auto reaction = r.text(0);
    if (m.reactions.empty() || m.reactions.back().first != reaction) m.reactions.emplace_back(reaction, std::vector<std::string>{});
    m.reactions.back().second.push_back(r.text(1));
  }
  return m;
}

std::vector<MessageNow> SqliteMessageStore::history(const HistoryQuery& h) {
  reader_.end_open_reads();
  // Visible: the user's direct conversations (groups join here with the
  // groups module). Every filter is a bound parameter; '' and 0 disable it.
  // Two texts, so that each order can walk the seq index.
  // Three index range scans (the user's received, sent, and groups'
  // messages), merged: one OR over them would walk the whole table.
  const std::string filters =
      " AND kind = 'MESSAGE'"
      " AND (?2 = '' OR (sender_user = ?1 AND to_user = ?2) OR (sender_user = ?2 AND to_user = ?1))"
      " AND (?9 = '' OR to_group = ?9) AND (?3 = '' OR thread_id = ?3 OR message_id = ?3)"
      " AND seq > ?4 AND (?5 = 0 OR seq < ?5) AND created_at >= ?6";
  const std::string sql = "SELECT seq FROM messages WHERE to_user = ?1 AND +to_group = ''" + filters +
                          " UNION SELECT seq FROM messages WHERE sender_user = ?1 AND +to_group = ''" + filters +
                          " UNION SELECT seq FROM messages WHERE to_group IN (SELECT value FROM json_each(?8))" + filters +
                          " ORDER BY seq " + (h.newest_first ? "DESC" : "ASC") + " LIMIT ?7";
  auto& q = reader_.cached(sql);
  q.bind(1, h.user_id).bind(2, h.with_user).bind(3, h.thread_id).bind(4, h.after_seq).bind(5, h.before_seq);
  q.bind(6, h.since_ms).bind(7, static_cast<std::int64_t>(h.limit + 1)).bind(8, json_list(h.groups)).bind(9, h.group_id);
  std::vector<std::int64_t> seqs;
  while (q.step()) seqs.push_back(q.integer(0));
  if (h.newest_first) std::reverse(seqs.begin(), seqs.end());
  std::vector<MessageNow> out;
  out.reserve(seqs.size());
  for (auto seq : seqs)
    if (auto m = now(seq)) out.push_back(std::move(*m));
  return out;
}

std::int64_t SqliteMessageStore::cursor(const DeviceKey& device) {
  reader_.end_open_reads();
  auto& own = reader_.cached("SELECT seq FROM device_cursors WHERE user_id = ?1 AND device_id = ?2");
  own.bind(1, device.user_id).bind(2, device.device_id);
  if (own.step()) {
    auto seq = own.integer(0);
    own.reset();
    return seq;
  }
  own.reset();
  auto& furthest = reader_.cached("SELECT coalesce(max(seq), 0) FROM device_cursors WHERE user_id = ?1");
  furthest.bind(1, device.user_id);
  std::int64_t start = furthest.step() ? furthest.integer(0) : 0;
  furthest.reset();
  // Recorded at once, so that the device keeps this start even before it acknowledges anything.
  writer_.submit([device, start](SqliteDatabase& db) {
    auto& q = db.cached("INSERT INTO device_cursors (user_id, device_id, seq) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    q.bind(1, device.user_id).bind(2, device.device_id).bind(3, start).run();
  });
  return start;
}

std::vector<StoredEvent> SqliteMessageStore::pending(const DeviceKey& device, const std::vector<std::string>& groups,
                                                     std::int64_t after_seq, std::size_t limit, bool urgent_only) {
  reader_.end_open_reads();
  // Index range scans merged by seq: events addressed to the user (but not
  // the ones this very device sent to its own user), the user's own events
  // from its other devices, and the events of the user's groups (but not
  // this device's own). "+to_group" keeps the planner on the sender index
  // for the second (every direct message has to_group '').
  const std::string filter = urgent_only ? " AND priority = 'urgent' AND kind = 'MESSAGE'" : "";
  auto& q = reader_.cached(std::string("SELECT ") + kColumns +
                           " FROM messages WHERE to_user = ?1 AND seq > ?2 AND NOT (sender_user = ?1 AND sender_device = ?3)"
                           " AND deleted = 0" + filter + " UNION ALL SELECT " + kColumns +
                           " FROM messages WHERE sender_user = ?1 AND seq > ?2 AND sender_device != ?3 AND to_user != ?1"
                           " AND +to_group = '' AND deleted = 0" + filter + " UNION ALL SELECT " + kColumns +
                           " FROM messages WHERE to_group IN (SELECT value FROM json_each(?5)) AND seq > ?2"
                           " AND NOT (sender_user = ?1 AND sender_device = ?3) AND deleted = 0" + filter +
                           " ORDER BY seq LIMIT ?4");
  q.bind(1, device.user_id).bind(2, after_seq).bind(3, device.device_id).bind(4, static_cast<std::int64_t>(limit));
  q.bind(5, json_list(groups));
  std::vector<StoredEvent> out;
  while (q.step()) out.push_back(read_event(q));
  return out;
}

}  // namespace qsip::store
