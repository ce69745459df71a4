// Lifts sanctions whose `expires_at` passed (docs/moderation.md "Expiry"):
// marks them lifted in the store, ends the account suspension a moderator
// imposed, and tells the user (a server MODERATION unmute_user_in_group or
// unban_user_from_group with reason "expired"). Enforcement never waits for
// it (sanction_directory compares with the current time, so expiry is
// exact); this keeps the store and the accounts true and the user told.
// It runs on a DeadlineThread: it sleeps until the earliest expiry it knows
// of (schedule() tells it of new ones) or, at the latest, `sweep_interval`.
// Sanctions are in the store, so one that passed while qsipd was down is
// lifted by the first sweep, at start.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "server/dispatch/deadline_thread.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

class SanctionExpiry {
 public:
  SanctionExpiry(std::string database_path, store::GroupCommitWriter& writer, ServerIdentity identity,
                 std::chrono::milliseconds sweep_interval = std::chrono::seconds(30));
  ~SanctionExpiry();  // stops the thread
  SanctionExpiry(const SanctionExpiry&) = delete;
  SanctionExpiry& operator=(const SanctionExpiry&) = delete;

  // Starts the thread (the first sweep at once); `directory` and `mailer`
  // must outlive it.
  void start(const DeviceDirectory& directory, ConnectionMailer& mailer);
  // A sanction expires at `at_ms` (Unix ms): wake then if that is earlier.
  void schedule(std::int64_t at_ms);
  // Stops the thread (before the mailer goes).
  void stop() { thread_.stop(); }

 private:
  // Lifts what is due; returns the next expiry to wait for (0: none).
  std::int64_t sweep();

  std::string path_;
  store::GroupCommitWriter& writer_;
  ServerIdentity identity_;  // this thread's own: ids are not drawn concurrently
  std::chrono::milliseconds interval_;
  const DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
  std::unique_ptr<store::SqliteDatabase> reader_;  // used by the thread only
  DeadlineThread thread_;
};

}  // namespace qsip::server
