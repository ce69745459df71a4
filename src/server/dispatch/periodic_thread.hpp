// A thread that runs a job now and then every `period` until stopped; stop()
// (or the destructor) wakes it at once. For the audit log's retention and
// the analytics flush, which only hand work to the store's writer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace qsip::server {

class PeriodicThread {
 public:
  PeriodicThread() = default;
  ~PeriodicThread() { stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // `run_at_start`: the first run is immediate, otherwise after one period.
  void start(std::chrono::milliseconds period, std::function<void()> job, bool run_at_start = true) {
    stop();
    stopping_ = false;
    thread_ = std::thread([this, period, job = std::move(job), run_at_start] {
      std::unique_lock lock(mutex_);
      bool first = run_at_start;
      while (!stopping_) {
        if (!first) {
          wake_.wait_for(lock, period, [this] { return stopping_; });
          if (stopping_) break;
        }
        first = false;
        lock.unlock();
        job();
        lock.lock();
      }
    });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
