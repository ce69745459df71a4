// Bounds a graceful stop: armed when the stop begins, it ends the process
// if the stop has not finished by the deadline (5 s by default), so a stuck
// connection or thread cannot keep qsipd alive after SIGTERM.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace qsip::server {

inline constexpr std::chrono::milliseconds kShutdownDeadline{5000};
inline constexpr int kExitShutdownTimeout = 1;

class ShutdownWatchdog {
 public:
  // `expire` runs on the watchdog's thread at the deadline; the default logs,
  // flushes and ends the process with kExitShutdownTimeout (std::_Exit:
  // nothing else is waited for).
  explicit ShutdownWatchdog(std::shared_ptr<spdlog::logger> logger, std::function<void()> expire = {});
  ~ShutdownWatchdog();  // disarms
  ShutdownWatchdog(const ShutdownWatchdog&) = delete;
  ShutdownWatchdog& operator=(const ShutdownWatchdog&) = delete;

  // Starts the countdown; a second arm() while armed is ignored (the first deadline holds).
  void arm(std::chrono::milliseconds deadline = kShutdownDeadline);
  // The stop finished: cancel the countdown and join the thread.
  void disarm();

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::function<void()> expire_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool disarmed_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
