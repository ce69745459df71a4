#include "server/roster/roster_store.hpp"

namespace qsip::server {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE roster_contacts (
        user_id TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        contact_info TEXT NOT NULL DEFAULT '{}',
        added_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, contact_id)
      );
      -- watcher asks to see watched's presence; watched approves.
      CREATE TABLE roster_subscriptions (
        watcher TEXT NOT NULL,
        watched TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (watcher, watched)
      );
      -- presence fan-out and pending requests look up by the watched user.
      CREATE INDEX roster_subscriptions_by_watched ON roster_subscriptions(watched, state);
      CREATE TABLE roster_blocks (
        user_id TEXT NOT NULL,
        blocked_id TEXT NOT NULL,
        blocked_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, blocked_id)
      );
    )sql"},
};

ContactRecord read_contact(const store::Statement& q) {
  return ContactRecord{q.text(0), q.text(1), q.text(2), q.integer(3), q.integer(4)};
}
}  // namespace

std::span<const store::Migration> roster_migrations() { return kMigrations; }

bool RosterStore::upsert_contact(const ContactRecord& c) {
  bool existed = contact(c.user_id, c.contact_id).has_value();
  db_.cached("INSERT INTO roster_contacts(user_id, contact_id, contact_info, added_at, updated_at) "
             "VALUES(?1, ?2, ?3, ?4, ?4) ON CONFLICT(user_id, contact_id) DO UPDATE SET "
             "contact_info = excluded.contact_info, updated_at = excluded.updated_at")
      .bind(1, c.user_id).bind(2, c.contact_id).bind(3, c.contact_info_json).bind(4, c.added_at).run();
  return !existed;
}

bool RosterStore::update_contact(const std::string& user_id, const std::string& contact_id, const std::string& info_json,
                                 std::int64_t now) {
  db_.cached("UPDATE roster_contacts SET contact_info = ?3, updated_at = ?4 WHERE user_id = ?1 AND contact_id = ?2")
      .bind(1, user_id).bind(2, contact_id).bind(3, info_json).bind(4, now).run();
  return db_.changes() == 1;
}

bool RosterStore::remove_contact(const std::string& user_id, const std::string& contact_id) {
  db_.cached("DELETE FROM roster_contacts WHERE user_id = ?1 AND contact_id = ?2").bind(1, user_id).bind(2, contact_id).run();
  return db_.changes() == 1;
}

std::optional<ContactRecord> RosterStore::contact(const std::string& user_id, const std::string& contact_id) {
  auto& q = db_.cached("SELECT user_id, contact_id, contact_info, added_at, updated_at FROM roster_contacts "
                       "WHERE user_id = ?1 AND contact_id = ?2");
  q.bind(1, user_id).bind(2, contact_id);
  if (!q.step()) return std::nullopt;
  auto c = read_contact(q);
  q.reset();
  return c;
}

std::vector<ContactRecord> RosterStore::contacts(const std::string& user_id) {
  auto& q = db_.cached("SELECT user_id, contact_id, contact_info, added_at, updated_at FROM roster_contacts "
                       "WHERE user_id = ?1 ORDER BY contact_id");
  q.bind(1, user_id);
  std::vector<ContactRecord> out;
  while (q.step()) out.push_back(read_contact(q));
  return out;
}

std::optional<SubscriptionState> RosterStore::subscription(const std::string& watcher, const std::string& watched) {
  auto& q = db_.cached("SELECT state FROM roster_subscriptions WHERE watcher = ?1 AND watched = ?2");
  q.bind(1, watcher).bind(2, watched);
  if (!q.step()) return std::nullopt;
  auto state = q.text(0) == "approved" ? SubscriptionState::kApproved : SubscriptionState::kPending;
  q.reset();
  return state;
}

void RosterStore::set_subscription(const std::string& watcher, const std::string& watched, SubscriptionState state,
                                   std::int64_t now) {
  db_.cached("INSERT INTO roster_subscriptions(watcher, watched, state, changed_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(watcher, watched) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at")
      .bind(1, watcher).bind(2, watched).bind(3, state == SubscriptionState::kApproved ? "approved" : "pending")
      .bind(4, now).run();
}

bool RosterStore::remove_subscription(const std::string& watcher, const std::string& watched) {
  db_.cached("DELETE FROM roster_subscriptions WHERE watcher = ?1 AND watched = ?2").bind(1, watcher).bind(2, watched).run();
  return db_.changes() == 1;
}

std::vector<std::string> RosterStore::ids(std::string_view sql, const std::string& key) {
  auto& q = db_.cached(sql);
  q.bind(1, key);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<std::string> RosterStore::watchers(const std::string& watched) {
  return ids("SELECT watcher FROM roster_subscriptions WHERE watched = ?1 AND state = 'approved' ORDER BY watcher", watched);
}

std::vector<std::string> RosterStore::watching(const std::string& watcher) {
  return ids("SELECT watched FROM roster_subscriptions WHERE watcher = ?1 AND state = 'approved' ORDER BY watched", watcher);
}

std::vector<std::string> RosterStore::pending_requests_to(const std::string& watched) {
  return ids("SELECT watcher FROM roster_subscriptions WHERE watched = ?1 AND state = 'pending' ORDER BY changed_at, watcher",
             watched);
}

bool RosterStore::block(const std::string& user_id, const std::string& blocked_id, std::int64_t now) {
  db_.cached("INSERT OR IGNORE INTO roster_blocks(user_id, blocked_id, blocked_at) VALUES(?1, ?2, ?3)")
      .bind(1, user_id).bind(2, blocked_id).bind(3, now).run();
  return db_.changes() == 1;
}

bool RosterStore::unblock(const std::string& user_id, const std::string& blocked_id) {
  db_.cached("DELETE FROM roster_blocks WHERE user_id = ?1 AND blocked_id = ?2").bind(1, user_id).bind(2, blocked_id).run();
  return db_.changes() == 1;
}

bool RosterStore::is_blocked(const std::string& blocked_id, const std::string& by_user) {
  auto& q = db_.cached("SELECT 1 FROM roster_blocks WHERE user_id = ?1 AND blocked_id = ?2");
  q.bind(1, by_user).bind(2, blocked_id);
  bool found = q.step();
  q.reset();
  return found;
}

std::vector<std::string> RosterStore::blocked_by(const std::string& user_id) {
  return ids("SELECT blocked_id FROM roster_blocks WHERE user_id = ?1 ORDER BY blocked_id", user_id);
}

}  // namespace qsip::server
