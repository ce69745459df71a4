#include "server/dispatch/deadline_thread.hpp"

#include <algorithm>

#include "server/dispatch/iso_time.hpp"

namespace qsip::server {

void DeadlineThread::start(std::chrono::milliseconds idle_interval, Job job) {
  stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    next_ms_ = unix_now_ms();  // the first run is at once: what fell due while qsipd was down
  }
  thread_ = std::thread([this, idle_interval, job = std::move(job)] { run(idle_interval, job); });
}

void DeadlineThread::wake_at(std::int64_t at_ms) {
  if (at_ms <= 0) return;
  {
    std::lock_guard lock(mutex_);
    if (next_ms_ != 0 && next_ms_ <= at_ms) return;
    next_ms_ = at_ms;
  }
  wake_.notify_all();
}

void DeadlineThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeadlineThread::run(std::chrono::milliseconds idle_interval, const Job& job) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const bool due = next_ms_ != 0 && next_ms_ <= unix_now_ms();
    if (!due) {
      auto deadline = std::chrono::system_clock::now() + idle_interval;
      if (next_ms_ != 0)
        deadline = std::min(deadline, std::chrono::system_clock::time_point(std::chrono::milliseconds(next_ms_)));
      // Woken (an earlier deadline, a stop, or spuriously): look again. Timed out: run.
      if (wake_.wait_until(lock, deadline) == std::cv_status::no_timeout) continue;
      if (stopping_) break;
    }
    next_ms_ = 0;  // what is due now is done by this run; the job says what comes next
    lock.unlock();
    const std::int64_t next = job();
    lock.lock();
    if (next != 0 && (next_ms_ == 0 || next < next_ms_)) next_ms_ = next;
  }
}

}  // namespace qsip::server
