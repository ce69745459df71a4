// Rosters, presence subscriptions and blocks (draft 5.29, 13; RFC 6121's
// model), persisted in the SQLite store. A subscription is one-directional:
// `watcher` asks to see `watched`'s presence (pending) and `watched`
// approves it (approved). Reads and writes on a connection the caller owns:
// the writer thread for changes, a worker's reader for lookups.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

enum class SubscriptionState { kPending, kApproved };

struct ContactRecord {
  std::string user_id;
  std::string contact_id;
  std::string contact_info_json = "{}";  // kept as the client gave it
  std::int64_t added_at = 0;
  std::int64_t updated_at = 0;
};

// The module's tables.
std::span<const store::Migration> roster_migrations();

class RosterStore {
 public:
  explicit RosterStore(store::SqliteDatabase& db) : db_(db) {}

  // Contacts (the user's own list). upsert: true when it was created.
  bool upsert_contact(const ContactRecord& contact);
  bool update_contact(const std::string& user_id, const std::string& contact_id, const std::string& info_json,
                      std::int64_t now);  // false when not on the roster
  bool remove_contact(const std::string& user_id, const std::string& contact_id);
  std::optional<ContactRecord> contact(const std::string& user_id, const std::string& contact_id);
  std::vector<ContactRecord> contacts(const std::string& user_id);

  // Subscriptions: `watcher` -> `watched`.
  std::optional<SubscriptionState> subscription(const std::string& watcher, const std::string& watched);
  void set_subscription(const std::string& watcher, const std::string& watched, SubscriptionState state,
                        std::int64_t now);
  bool remove_subscription(const std::string& watcher, const std::string& watched);  // true when one existed
  // Approved watchers of `watched` (who may see its presence).
  std::vector<std::string> watchers(const std::string& watched);
  // Users whose presence `watcher` may see.
  std::vector<std::string> watching(const std::string& watcher);
  // Users waiting for `watched` to approve or deny them.
  std::vector<std::string> pending_requests_to(const std::string& watched);

  // Blocks: `user_id` blocks `blocked_id`. block: true when it was new.
  bool block(const std::string& user_id, const std::string& blocked_id, std::int64_t now);
  bool unblock(const std::string& user_id, const std::string& blocked_id);  // false when not blocked
  bool is_blocked(const std::string& blocked_id, const std::string& by_user);
  std::vector<std::string> blocked_by(const std::string& user_id);

 private:
  std::vector<std::string> ids(std::string_view sql, const std::string& key);
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
