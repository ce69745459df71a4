#include "server/moderation/sanction_store.hpp"

namespace qsip::server {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE moderation_sanctions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                    -- mute, ban, suspension
        user_id TEXT NOT NULL,
        group_id TEXT NOT NULL DEFAULT '',     -- '' for a suspension
        by_user_id TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,           -- Unix ms
        expires_at INTEGER NOT NULL DEFAULT 0, -- Unix ms; 0: until lifted
        lifted_at INTEGER NOT NULL DEFAULT 0   -- Unix ms; 0: not lifted
      );
      CREATE INDEX moderation_sanctions_open ON moderation_sanctions(kind, group_id, user_id) WHERE lifted_at = 0;
      CREATE INDEX moderation_sanctions_expiring ON moderation_sanctions(expires_at) WHERE lifted_at = 0 AND expires_at > 0;
      CREATE TABLE moderation_warnings (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        group_id TEXT NOT NULL DEFAULT '',
        by_user_id TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        delivered_at INTEGER NOT NULL DEFAULT 0  -- 0: no device got it yet
      );
      CREATE INDEX moderation_warnings_undelivered ON moderation_warnings(user_id) WHERE delivered_at = 0;
    )sql"},
};

constexpr const char* kColumns = "id, kind, user_id, group_id, by_user_id, reason, created_at, expires_at, lifted_at";

SanctionKind kind_of(const std::string& name) {
  if (name == "ban") return SanctionKind::kBan;
  if (name == "suspension") return SanctionKind::kSuspension;
  return SanctionKind::kMute;
}

Sanction read_sanction(const store::Statement& q) {
  return Sanction{q.integer(0), kind_of(q.text(1)), q.text(2), q.text(3), q.text(4),
                  q.text(5),    q.integer(6),       q.integer(7), q.integer(8)};
}

// In force: not lifted, and no expiry or one still ahead.
constexpr const char* kInForce = "lifted_at = 0 AND (expires_at = 0 OR expires_at > ?4)";

}  // namespace

std::span<const store::Migration> moderation_migrations() { return kMigrations; }

std::string_view sanction_kind_name(SanctionKind kind) {
  switch (kind) {
    case SanctionKind::kMute: return "mute";
    case SanctionKind::kBan: return "ban";
    case SanctionKind::kSuspension: return "suspension";
  }
  return "mute";
}

std::optional<Sanction> SanctionStore::active(SanctionKind kind, const std::string& group_id,
                                              const std::string& user_id, std::int64_t now_ms) {
  auto& q = db_.cached(std::string("SELECT ") + kColumns +
                       " FROM moderation_sanctions WHERE kind = ?1 AND group_id = ?2 AND user_id = ?3 AND " + kInForce +
                       " ORDER BY id DESC LIMIT 1");
  q.bind(1, sanction_kind_name(kind)).bind(2, group_id).bind(3, user_id).bind(4, now_ms);
  std::optional<Sanction> out;
  if (q.step()) out = read_sanction(q);
  q.reset();  // a half-read result would keep the connection on an old snapshot
  return out;
}

std::int64_t SanctionStore::impose(const Sanction& s) {
  // Whatever is still open (in force or expired but not marked) is closed:
  // the newest sanction alone decides.
  db_.cached("UPDATE moderation_sanctions SET lifted_at = ?4 WHERE kind = ?1 AND group_id = ?2 AND user_id = ?3 AND lifted_at = 0")
      .bind(1, sanction_kind_name(s.kind)).bind(2, s.group_id).bind(3, s.user_id).bind(4, s.created_at_ms).run();
  db_.cached("INSERT INTO moderation_sanctions(kind, user_id, group_id, by_user_id, reason, created_at, expires_at) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, sanction_kind_name(s.kind)).bind(2, s.user_id).bind(3, s.group_id).bind(4, s.by_user_id)
      .bind(5, s.reason).bind(6, s.created_at_ms).bind(7, s.expires_at_ms).run();
  return db_.last_insert_rowid();
}

bool SanctionStore::lift(SanctionKind kind, const std::string& group_id, const std::string& user_id,
                         std::int64_t now_ms) {
  db_.cached(std::string("UPDATE moderation_sanctions SET lifted_at = ?4 WHERE kind = ?1 AND group_id = ?2 AND user_id = ?3 AND ") +
             kInForce)
      .bind(1, sanction_kind_name(kind)).bind(2, group_id).bind(3, user_id).bind(4, now_ms).run();
  return db_.changes() > 0;
}

void SanctionStore::mark_lifted(std::int64_t id, std::int64_t now_ms) {
  db_.cached("UPDATE moderation_sanctions SET lifted_at = ?2 WHERE id = ?1 AND lifted_at = 0").bind(1, id).bind(2, now_ms).run();
}

std::vector<Sanction> SanctionStore::due(std::int64_t now_ms, std::size_t limit) {
  auto& q = db_.cached(std::string("SELECT ") + kColumns +
                       " FROM moderation_sanctions WHERE lifted_at = 0 AND expires_at > 0 AND expires_at <= ?1 "
                       "ORDER BY expires_at, id LIMIT ?2");
  q.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Sanction> out;
  while (q.step()) out.push_back(read_sanction(q));
  return out;
}

std::optional<std::int64_t> SanctionStore::next_expiry() {
  auto& q = db_.cached("SELECT min(expires_at) FROM moderation_sanctions WHERE lifted_at = 0 AND expires_at > 0");
  std::optional<std::int64_t> out;
  if (q.step() && !q.is_null(0)) out = q.integer(0);
  q.reset();
  return out;
}

std::int64_t SanctionStore::add_warning(const Warning& w) {
  db_.cached("INSERT INTO moderation_warnings(user_id, group_id, by_user_id, reason, created_at) VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, w.user_id).bind(2, w.group_id).bind(3, w.by_user_id).bind(4, w.reason).bind(5, w.created_at_ms).run();
  return db_.last_insert_rowid();
}

std::vector<Warning> SanctionStore::undelivered_warnings(const std::string& user_id, std::size_t limit) {
  auto& q = db_.cached("SELECT id, user_id, group_id, by_user_id, reason, created_at FROM moderation_warnings "
                       "WHERE user_id = ?1 AND delivered_at = 0 ORDER BY id LIMIT ?2");
  q.bind(1, user_id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Warning> out;
  while (q.step()) out.push_back(Warning{q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5)});
  return out;
}

void SanctionStore::mark_warning_delivered(std::int64_t id, std::int64_t now_ms) {
  db_.cached("UPDATE moderation_warnings SET delivered_at = ?2 WHERE id = ?1 AND delivered_at = 0").bind(1, id).bind(2, now_ms).run();
}

}  // namespace qsip::server
