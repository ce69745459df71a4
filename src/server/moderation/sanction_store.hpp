// What moderation keeps (draft 5.20; docs/moderation.md), in the SQLite
// store under the module "moderation": sanctions (mutes and bans per group
// and user, account suspensions) with who imposed them, why, when, until
// when and when they were lifted; and warnings, with whether they reached a
// device yet. Rows are never deleted: a lifted or expired sanction stays as
// history. Reads and writes on a connection the caller owns (the writer
// thread for changes, a worker's reader or the expiry thread's for lookups).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

enum class SanctionKind { kMute, kBan, kSuspension };

std::string_view sanction_kind_name(SanctionKind kind);

struct Sanction {
  std::int64_t id = 0;
  SanctionKind kind = SanctionKind::kMute;
  std::string user_id;
  std::string group_id;  // empty for a suspension
  std::string by_user_id;
  std::string reason;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;  // 0: until lifted
  std::int64_t lifted_at_ms = 0;   // 0: not lifted (in force unless expired)
};

struct Warning {
  std::int64_t id = 0;
  std::string user_id;
  std::string group_id;  // empty: not about a group
  std::string by_user_id;
  std::string reason;
  std::int64_t created_at_ms = 0;
};

// Accounts count a suspension's end in Unix seconds: the second the
// sanction's expiry falls in, rounded up, so the account is never free
// before the sanction ends. 0 (until lifted) stays 0.
inline std::int64_t suspension_until_seconds(std::int64_t expires_at_ms) {
  return expires_at_ms == 0 ? 0 : (expires_at_ms + 999) / 1000;
}

// The module's tables.
std::span<const store::Migration> moderation_migrations();

class SanctionStore {
 public:
  explicit SanctionStore(store::SqliteDatabase& db) : db_(db) {}

  // The sanction of `kind` on (group, user) in force at `now_ms`: not
  // lifted, and not expired (expiry is exact: it does not wait for the
  // expiry thread to mark it lifted).
  std::optional<Sanction> active(SanctionKind kind, const std::string& group_id, const std::string& user_id,
                                 std::int64_t now_ms);
  // Imposes `sanction` (its id is assigned); one already in force on the
  // same (kind, group, user) is lifted first: the newest decides.
  std::int64_t impose(const Sanction& sanction);
  // Lifts what is in force on (kind, group, user) at `now_ms`; false when
  // nothing was (an expired one not marked yet counts as nothing).
  bool lift(SanctionKind kind, const std::string& group_id, const std::string& user_id, std::int64_t now_ms);
  // Marks one sanction lifted (the expiry thread, once it passed).
  void mark_lifted(std::int64_t id, std::int64_t now_ms);
  // Sanctions whose expiry passed at `now_ms` and that are not marked lifted yet, earliest first.
  std::vector<Sanction> due(std::int64_t now_ms, std::size_t limit);
  // The earliest expiry of a sanction not lifted yet, if any.
  std::optional<std::int64_t> next_expiry();

  // Warnings: recorded undelivered; marked once a device got them.
  std::int64_t add_warning(const Warning& warning);
  std::vector<Warning> undelivered_warnings(const std::string& user_id, std::size_t limit);
  void mark_warning_delivered(std::int64_t id, std::int64_t now_ms);

 private:
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
