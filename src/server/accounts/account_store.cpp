#include "server/accounts/account_store.hpp"

namespace qsip::server {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        suspended INTEGER NOT NULL DEFAULT 0,
        suspended_until INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE devices (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        device_info TEXT NOT NULL DEFAULT '{}',
        capabilities TEXT NOT NULL DEFAULT '[]',
        supports_datagrams INTEGER NOT NULL DEFAULT 0,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_id)
      );
      CREATE TABLE tokens (
        jti TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL DEFAULT '',
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX tokens_by_user ON tokens(user_id);
      -- "every token of this user (or device) issued at or before T is revoked"
      CREATE TABLE revocations (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL DEFAULT '',
        revoked_before INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_id)
      );
    )sql"},
};

UserRecord read_user(const store::Statement& q) {
  return UserRecord{q.text(0), q.text(1), q.integer(2), q.integer(3) != 0, q.integer(4)};
}
TokenRecord read_token(const store::Statement& q) {
  return TokenRecord{q.text(0), q.text(1), q.text(2), q.integer(3), q.integer(4), q.integer(5)};
}
void revoke_before(store::SqliteDatabase& db, const std::string& user, const std::string& device, std::int64_t now) {
  db.cached("INSERT INTO revocations(user_id, device_id, revoked_before) VALUES(?1, ?2, ?3) "
             "ON CONFLICT(user_id, device_id) DO UPDATE SET revoked_before = max(revoked_before, excluded.revoked_before)")
      .bind(1, user).bind(2, device).bind(3, now).run();
}
}  // namespace

std::span<const store::Migration> account_migrations() { return kMigrations; }

bool AccountStore::add_user(const UserRecord& u) {
  auto& q = db_.cached("INSERT OR IGNORE INTO users(user_id, display_name, created_at) VALUES(?1, ?2, ?3)");
  q.bind(1, u.user_id).bind(2, u.display_name).bind(3, u.created_at).run();
  return db_.changes() == 1;
}

std::optional<UserRecord> AccountStore::user(const std::string& user_id) {
  auto& q = db_.cached("SELECT user_id, display_name, created_at, suspended, suspended_until FROM users WHERE user_id = ?1");
  q.bind(1, user_id);
  std::optional<UserRecord> out;
  if (q.step()) out = read_user(q);
  q.reset();  // a half-read result would keep this connection on an old snapshot
  return out;
}

std::vector<UserRecord> AccountStore::users() {
  auto& q = db_.cached("SELECT user_id, display_name, created_at, suspended, suspended_until FROM users ORDER BY user_id");
  std::vector<UserRecord> out;
  while (q.step()) out.push_back(read_user(q));
  return out;
}

bool AccountStore::set_suspended(const std::string& user_id, bool suspended, std::int64_t until) {
  db_.cached("UPDATE users SET suspended = ?2, suspended_until = ?3 WHERE user_id = ?1")
      .bind(1, user_id).bind(2, suspended ? 1 : 0).bind(3, suspended ? until : 0).run();
  return db_.changes() == 1;
}

void AccountStore::upsert_device(const DeviceRecord& d) {
  db_.cached(
         "INSERT INTO devices(user_id, device_id, name, device_info, capabilities, supports_datagrams, first_seen, last_seen) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
         "ON CONFLICT(user_id, device_id) DO UPDATE SET device_info = excluded.device_info, "
         "capabilities = excluded.capabilities, supports_datagrams = excluded.supports_datagrams, last_seen = excluded.last_seen")
      .bind(1, d.user_id).bind(2, d.device_id).bind(3, d.name).bind(4, d.device_info_json).bind(5, d.capabilities_json)
      .bind(6, d.supports_datagrams ? 1 : 0).bind(7, d.first_seen).bind(8, d.last_seen).run();
}

std::vector<DeviceRecord> AccountStore::devices(const std::string& user_id) {
  auto& q = db_.cached(
      "SELECT user_id, device_id, name, device_info, capabilities, supports_datagrams, first_seen, last_seen "
      "FROM devices WHERE user_id = ?1 ORDER BY device_id");
  q.bind(1, user_id);
  std::vector<DeviceRecord> out;
  while (q.step())
    out.push_back(DeviceRecord{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5) != 0, q.integer(6), q.integer(7)});
  return out;
}

bool AccountStore::rename_device(const std::string& user_id, const std::string& device_id, const std::string& name) {
  db_.cached("UPDATE devices SET name = ?3 WHERE user_id = ?1 AND device_id = ?2")
      .bind(1, user_id).bind(2, device_id).bind(3, name).run();
  return db_.changes() == 1;
}

bool AccountStore::remove_device(const std::string& user_id, const std::string& device_id) {
  db_.cached("DELETE FROM devices WHERE user_id = ?1 AND device_id = ?2").bind(1, user_id).bind(2, device_id).run();
  return db_.changes() == 1;
}

void AccountStore::record_token(const TokenRecord& t) {
  db_.cached("INSERT OR REPLACE INTO tokens(jti, user_id, device_id, issued_at, expires_at, revoked_at) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, t.jti).bind(2, t.user_id).bind(3, t.device_id).bind(4, t.issued_at).bind(5, t.expires_at)
      .bind(6, t.revoked_at).run();
}

std::vector<TokenRecord> AccountStore::tokens(const std::string& user_id) {
  auto& q = db_.cached(user_id.empty()
                           ? "SELECT jti, user_id, device_id, issued_at, expires_at, revoked_at FROM tokens ORDER BY issued_at"
                           : "SELECT jti, user_id, device_id, issued_at, expires_at, revoked_at FROM tokens WHERE user_id = ?1 ORDER BY issued_at");
  if (!user_id.empty()) q.bind(1, user_id);
  std::vector<TokenRecord> out;
  while (q.step()) out.push_back(read_token(q));
  return out;
}

int AccountStore::revoke_token(const std::string& jti, std::int64_t now) {
  db_.cached("UPDATE tokens SET revoked_at = ?2 WHERE jti = ?1 AND revoked_at = 0").bind(1, jti).bind(2, now).run();
  return db_.changes();
}

int AccountStore::revoke_user_tokens(const std::string& user_id, std::int64_t now) {
  revoke_before(db_, user_id, "", now);
  db_.cached("UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at = 0").bind(1, user_id).bind(2, now).run();
  return db_.changes();
}

int AccountStore::revoke_device_tokens(const std::string& user_id, const std::string& device_id, std::int64_t now) {
  revoke_before(db_, user_id, device_id, now);
  db_.cached("UPDATE tokens SET revoked_at = ?3 WHERE user_id = ?1 AND device_id = ?2 AND revoked_at = 0")
      .bind(1, user_id).bind(2, device_id).bind(3, now).run();
  return db_.changes();
}

bool AccountStore::is_revoked(const std::string& jti, const std::string& user_id, const std::string& device_id,
                              std::int64_t issued_at) {
  if (!jti.empty()) {
    auto& q = db_.cached("SELECT revoked_at FROM tokens WHERE jti = ?1");
    q.bind(1, jti);
    bool revoked = q.step() && q.integer(0) != 0;
    q.reset();  // see user()
    if (revoked) return true;
  }
  auto& q = db_.cached("SELECT max(revoked_before) FROM revocations WHERE user_id = ?1 AND (device_id = '' OR device_id = ?2)");
  q.bind(1, user_id).bind(2, device_id);
  bool revoked = q.step() && !q.is_null(0) && issued_at <= q.integer(0);
  q.reset();
  return revoked;
}

}  // namespace qsip::server
