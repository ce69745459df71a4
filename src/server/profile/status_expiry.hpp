// Clears custom statuses when their `custom_status_expires_at` passes and
// tells the owner's devices and contacts (docs/auth.md "Profiles"). It runs
// on a DeadlineThread: it sleeps until the earliest expiry it knows of
// (schedule() tells it of each new one) or, at the latest, `sweep_interval`,
// then clears every due status in one writer task. Reads never show an expired status either
// (clear_expired_status at access), so a late sweep is never visible.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "server/dispatch/deadline_thread.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/profile/profile_notifier.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

class StatusExpiry {
 public:
  // `database_path`: the store, read on a connection of this thread's own.
  StatusExpiry(std::string database_path, store::GroupCommitWriter& writer, ProfileNotifier& notifier,
               ServerIdentity identity, std::chrono::milliseconds sweep_interval = std::chrono::seconds(30));
  ~StatusExpiry();  // stops the thread
  StatusExpiry(const StatusExpiry&) = delete;
  StatusExpiry& operator=(const StatusExpiry&) = delete;

  // Starts the thread, which reaches devices through `directory` and
  // `mailer` (they must outlive it); the first sweep runs at once (statuses
  // that expired while qsipd was down).
  void start(const DeviceDirectory& directory, ConnectionMailer& mailer);
  // A status expires at `at_ms` (Unix ms): wake then if that is earlier.
  void schedule(std::int64_t at_ms);

 private:
  // Clears what is due; returns the next expiry to wait for (0: none).
  std::int64_t sweep(store::SqliteDatabase& reader);

  std::string path_;
  store::GroupCommitWriter& writer_;
  ProfileNotifier& notifier_;
  const DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
  ServerIdentity identity_;  // this thread's own: ids are not drawn concurrently
  std::chrono::milliseconds interval_;
  std::unique_ptr<store::SqliteDatabase> reader_;  // used by the thread only
  DeadlineThread thread_;
};

}  // namespace qsip::server
