#include "server/shutdown_watchdog.hpp"

#include <cstdlib>

#include "server/log_fields.hpp"

namespace qsip::server {

ShutdownWatchdog::ShutdownWatchdog(std::shared_ptr<spdlog::logger> logger, std::function<void()> expire)
    : logger_(std::move(logger)), expire_(std::move(expire)) {
  if (!expire_) {
    expire_ = [this] {
      log_event(*logger_, spdlog::level::critical, "graceful stop did not finish in time; exiting",
                {{"exit_status", kExitShutdownTimeout}});
      logger_->flush();
      std::_Exit(kExitShutdownTimeout);
    };
  }
}

ShutdownWatchdog::~ShutdownWatchdog() { disarm(); }

void ShutdownWatchdog::arm(std::chrono::milliseconds deadline) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || disarmed_) return;
  auto until = std::chrono::steady_clock::now() + deadline;
  thread_ = std::thread([this, until] {
    std::unique_lock wait_lock(mutex_);
    if (wake_.wait_until(wait_lock, until, [this] { return disarmed_; })) return;
    wait_lock.unlock();
    expire_();
  });
}

void ShutdownWatchdog::disarm() {
  {
    std::lock_guard lock(mutex_);
    disarmed_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

}  // namespace qsip::server
