// Profiles in the SQLite store: one row per user holding its fields and
// visibility as JSON objects, and the custom status expiry as an indexed
// column so that the expiry sweep finds due statuses without reading every
// profile. Reads and writes on a connection the caller owns.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/profile/profile.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> profile_migrations();

class ProfileStore {
 public:
  explicit ProfileStore(store::SqliteDatabase& db) : db_(db) {}

  // The stored profile; an empty one when the user never set any.
  Profile load(const std::string& user_id);
  void save(const std::string& user_id, const Profile& profile, std::int64_t now_ms);
  // Users whose custom status expired at or before `now_ms`.
  std::vector<std::string> expired_statuses(std::int64_t now_ms);
  // The earliest custom status expiry still to come, if any.
  std::optional<std::int64_t> next_status_expiry();

 private:
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
