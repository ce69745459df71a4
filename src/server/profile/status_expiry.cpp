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

StatusExpiry::~StatusExpiry() { thread_.stop(); }

void StatusExpiry::start(const DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  // Opened here so that a store that cannot be read stops the start, not the thread.
  reader_ = std::make_unique<store::SqliteDatabase>(path_, store::SyncPolicy::kNormal, /*read_only=*/true);
  thread_.start(interval_, [this]() -> std::int64_t {
    try {
      return sweep(*reader_);
    } catch (const std::exception& e) {
      // A busy or failing store: the next round (at most the interval) tries again.
      spdlog::warn("custom status expiry: {}", e.what());
      return 0;
    }
  });
}

void StatusExpiry::schedule(std::int64_t at_ms) { thread_.wake_at(at_ms); }

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
