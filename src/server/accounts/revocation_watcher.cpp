#include "server/accounts/revocation_watcher.hpp"

#include <ctime>

#include "server/dispatch/client_session.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

RevocationWatcher::RevocationWatcher(std::string database_path, DeviceDirectory& directory, ConnectionMailer& mailer,
                                     std::chrono::milliseconds interval)
    : path_(std::move(database_path)), directory_(directory), mailer_(mailer), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

RevocationWatcher::~RevocationWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RevocationWatcher::run() {
  // Revocations are stamped in whole seconds: look back one second each
  // time, so a revocation in the same second as the last check is not missed.
  std::int64_t since = static_cast<std::int64_t>(std::time(nullptr)) - 1;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [&] { return stopping_; })) {
    lock.unlock();
    std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    try {
      check(since);
    } catch (const std::exception&) {
      // The store may be busy or being created; the next round tries again.
    }
    since = now - 1;
    lock.lock();
  }
}

void RevocationWatcher::check(std::int64_t since) {
  store::SqliteDatabase db(path_, store::SyncPolicy::kNormal, /*read_only=*/true);
  auto close_matching = [&](const std::string& user, const std::string& device, const std::string& jti) {
    for (const auto& d : directory_.devices(user)) {
      bool match = (!jti.empty() && d.token_id == jti) || (jti.empty() && (device.empty() || d.device_id == device));
      if (match) mailer_.close(d.connection_id, kAppErrorRevoked);
    }
  };
  auto tokens = db.prepare("SELECT jti, user_id FROM tokens WHERE revoked_at >= ?1");
  tokens.bind(1, since);
  while (tokens.step()) close_matching(tokens.text(1), {}, tokens.text(0));
  auto cuts = db.prepare("SELECT user_id, device_id FROM revocations WHERE revoked_before >= ?1");
  cuts.bind(1, since);
  while (cuts.step()) close_matching(cuts.text(0), cuts.text(1), {});
}

}  // namespace qsip::server
