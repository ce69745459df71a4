#include "server/profile/status_expiry.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "server/dispatch/iso_time.hpp"
#include "server/profile/profile_store.hpp"

namespace qsip::server {

StatusExpiry::StatusExpiry(std::string database_path, store::GroupCommitWriter& writer, ProfileNotifier& notifier,
                           ServerIdentity identity, std::chrono::milliseconds sweep_interval)
    : path_(std::move(database_path)),
      writer_(writer),
      notifier_(notifier),
      identity_(std::move(identity)),
      interval_(sweep_interval) {}

StatusExpiry::~StatusExpiry() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatusExpiry::start(const DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  // Opened here so that a store that cannot be read stops the start, not the thread.
  reader_ = std::make_unique<store::SqliteDatabase>(path_, store::SyncPolicy::kNormal, /*read_only=*/true);
  {
    std::lock_guard lock(mutex_);
    next_ms_ = unix_now_ms();
  }
  thread_ = std::thread([this] { run(); });
}

void StatusExpiry::schedule(std::int64_t at_ms) {
  if (at_ms <= 0) return;
  {
    std::lock_guard lock(mutex_);
    if (next_ms_ != 0 && next_ms_ <= at_ms) return;
    next_ms_ = at_ms;
  }
  wake_.notify_all();
}

void StatusExpiry::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    bool due = next_ms_ != 0 && next_ms_ <= unix_now_ms();
    if (!due) {
      auto deadline = std::chrono::system_clock::now() + interval_;
      if (next_ms_ != 0)
        deadline = std::min(deadline, std::chrono::system_clock::time_point(std::chrono::milliseconds(next_ms_)));
      // Woken (a new expiry, a stop, or spuriously): look again. Timed out: sweep.
      if (wake_.wait_until(lock, deadline) == std::cv_status::no_timeout) continue;
      if (stopping_) break;
    }
    next_ms_ = 0;  // what is due now is swept; sweep() says what comes next
    lock.unlock();
    std::int64_t next = 0;
    try {
      next = sweep(*reader_);
    } catch (const std::exception& e) {
      // A busy or failing store: the next round (at most the interval) tries again.
      spdlog::warn("custom status expiry: {}", e.what());
    }
    lock.lock();
    if (next != 0 && (next_ms_ == 0 || next < next_ms_)) next_ms_ = next;
  }
}

std::int64_t StatusExpiry::sweep(store::SqliteDatabase& reader) {
  struct Cleared {
    std::string user;
    Profile profile;
  };
  std::vector<Cleared> cleared;
  std::int64_t next = 0;
  std::int64_t now = unix_now_ms();
  // Check and clear in one writer task: a `set` that moved the expiry in
  // the meantime is seen, and is not undone.
  writer_.run_sync([&](store::SqliteDatabase& db) {
    ProfileStore store(db);
    for (auto& user : store.expired_statuses(now)) {
      Profile p = store.load(user);
      if (!clear_expired_status(p, now)) continue;
      store.save(user, p, now);
      cleared.push_back({std::move(user), std::move(p)});
    }
    next = store.next_status_expiry().value_or(0);
  });
  if (cleared.empty()) return next;
  reader.end_open_reads();
  for (const auto& c : cleared) {
    std::vector<std::string> fields(std::begin(kCustomStatusFields), std::end(kCustomStatusFields));
    notifier_.notify(identity_, *directory_, *mailer_, reader, ProfileNotice{c.user, c.profile, std::move(fields), false, {}, 0});
  }
  return next;
}

}  // namespace qsip::server
