#include "server/calls/call_timers.hpp"

namespace qsip::server::calls {

void CallTimers::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void CallTimers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CallTimers::arm(Clock::time_point at, std::string session_id) {
  {
    std::lock_guard lock(mutex_);
    due_.emplace(at, std::move(session_id));
  }
  wake_.notify_all();
}

void CallTimers::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto at = due_.top().first;
    if (Clock::now() < at) {
      wake_.wait_until(lock, at);
      continue;
    }
    auto session_id = due_.top().second;
    due_.pop();
    lock.unlock();
    on_due_(session_id);  // takes registry locks: never under ours
    lock.lock();
  }
}

}  // namespace qsip::server::calls
