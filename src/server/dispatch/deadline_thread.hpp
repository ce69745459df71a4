// A thread for work that falls due at known times (expiring sanctions and
// custom statuses, scheduled and ephemeral messages): it runs `job` at once,
// then again when the deadline job returned passes, when wake_at() brings
// it forward, or at the latest after `idle_interval`. Modules have no timer
// on the worker loops, and their deadlines live in the store, so the job
// reads what is due and says when to look next. stop() (or the destructor)
// wakes and joins it. The job handles its own failures (it returns when to
// try again); it never runs under this class's lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace qsip::server {

class DeadlineThread {
 public:
  // Does what is due; returns the next deadline in Unix milliseconds (0: none known).
  using Job = std::function<std::int64_t()>;

  DeadlineThread() = default;
  ~DeadlineThread() { stop(); }
  DeadlineThread(const DeadlineThread&) = delete;
  DeadlineThread& operator=(const DeadlineThread&) = delete;

  void start(std::chrono::milliseconds idle_interval, Job job);
  // Something falls due at `at_ms` (Unix ms): run then, if that is earlier than planned.
  void wake_at(std::int64_t at_ms);
  void stop();

 private:
  void run(std::chrono::milliseconds idle_interval, const Job& job);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::int64_t next_ms_ = 0;  // the earliest deadline known (0: none; run at the idle interval)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
