// Accounts, devices and issued tokens (draft 8, 16.1; wire profile 5),
// persisted in the SQLite store. Used by the REGISTER path (is the user
// allowed, is the token revoked, record the device) and by the operator
// commands `qsipd user ...` and `qsipd token ...`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct UserRecord {
  std::string user_id;
  std::string display_name;
  std::int64_t created_at = 0;
  bool suspended = false;
  std::int64_t suspended_until = 0;  // 0: until lifted
};

struct DeviceRecord {
  std::string user_id;
  std::string device_id;
  std::string name;
  std::string device_info_json = "{}";
  std::string capabilities_json = "[]";
  bool supports_datagrams = false;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
};

struct TokenRecord {
  std::string jti;
  std::string user_id;
  std::string device_id;  // empty: any device
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t revoked_at = 0;  // 0: not revoked
};

// The module's tables.
std::span<const store::Migration> account_migrations();

// Reads and writes on a connection the caller owns (the writer thread, a
// reader, or an operator command).
class AccountStore {
 public:
  explicit AccountStore(store::SqliteDatabase& db) : db_(db) {}

  // Users
  bool add_user(const UserRecord& user);  // false when it exists
  std::optional<UserRecord> user(const std::string& user_id);
  std::vector<UserRecord> users();
  bool set_suspended(const std::string& user_id, bool suspended, std::int64_t until = 0);

  // Devices
  void upsert_device(const DeviceRecord& device);  // keeps first_seen and name
  std::vector<DeviceRecord> devices(const std::string& user_id);
  bool rename_device(const std::string& user_id, const std::string& device_id, const std::string& name);
  bool remove_device(const std::string& user_id, const std::string& device_id);

  // Tokens
  void record_token(const TokenRecord& token);
  std::vector<TokenRecord> tokens(const std::string& user_id = {});
  // Each returns how many tokens it revoked.
  int revoke_token(const std::string& jti, std::int64_t now);
  int revoke_user_tokens(const std::string& user_id, std::int64_t now);
  int revoke_device_tokens(const std::string& user_id, const std::string& device_id, std::int64_t now);
  // True when `jti` was revoked, or when every token of the user or of the
  // device issued at or before `issued_at` was revoked.
  bool is_revoked(const std::string& jti, const std::string& user_id, const std::string& device_id,
                  std::int64_t issued_at);

 private:
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
