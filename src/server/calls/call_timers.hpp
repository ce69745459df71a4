// The clock of the calls module: one thread that wakes at the earliest
// deadline asked for (INVITE and ringing timers, draft 6.2) and hands the
// session id to the callback, which checks what actually expired (a timer
// whose session moved on is harmless).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace qsip::server::calls {

class CallTimers {
 public:
  using Clock = std::chrono::steady_clock;
  explicit CallTimers(std::function<void(const std::string&)> on_due) : on_due_(std::move(on_due)) {}
  ~CallTimers() { stop(); }
  CallTimers(const CallTimers&) = delete;
  CallTimers& operator=(const CallTimers&) = delete;

  void start();
  void stop();
  void arm(Clock::time_point at, std::string session_id);

 private:
  void run();
  using Entry = std::pair<Clock::time_point, std::string>;
  std::function<void(const std::string&)> on_due_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> due_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server::calls
