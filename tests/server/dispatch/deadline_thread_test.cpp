// DeadlineThread: runs at once, again when a deadline it was told of (by the
// job or by wake_at) passes, not before; stop() joins even while it waits.
#include "server/dispatch/deadline_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "server/dispatch/iso_time.hpp"

namespace qsip::server {
namespace {

using namespace std::chrono_literals;

// Counts runs; a test waits for a given count (bounded, never a measurement).
struct Runs {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
  void add() {
    std::lock_guard lock(mutex);
    ++count;
    changed.notify_all();
  }
  bool wait_for_count(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return count >= n; });
  }
  int now() {
    std::lock_guard lock(mutex);
    return count;
  }
};

TEST(DeadlineThread, RunsAtOnceThenSleepsWithoutDeadline) {
  Runs runs;
  DeadlineThread thread;
  thread.start(std::chrono::hours(1), [&]() -> std::int64_t {
    runs.add();
    return 0;
  });
  ASSERT_TRUE(runs.wait_for_count(1));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs.now(), 1);  // no deadline known, idle interval an hour away
  thread.stop();
}

TEST(DeadlineThread, WakeAtBringsTheNextRunForward) {
  Runs runs;
  DeadlineThread thread;
  thread.start(std::chrono::hours(1), [&]() -> std::int64_t {
    runs.add();
    return 0;
  });
  ASSERT_TRUE(runs.wait_for_count(1));
  thread.wake_at(unix_now_ms() + 20);
  EXPECT_TRUE(runs.wait_for_count(2));
  thread.wake_at(0);  // ignored
  thread.wake_at(unix_now_ms() - 1000);  // already due: runs at once
  EXPECT_TRUE(runs.wait_for_count(3));
}

TEST(DeadlineThread, TheJobsOwnDeadlineIsKept) {
  Runs runs;
  std::atomic<std::int64_t> planned{0};
  DeadlineThread thread;
  thread.start(std::chrono::hours(1), [&]() -> std::int64_t {
    runs.add();
    if (runs.now() >= 3) return 0;
    planned = unix_now_ms() + 20;
    return planned;
  });
  ASSERT_TRUE(runs.wait_for_count(3));
  // The third run came at or after the deadline the second one returned.
  EXPECT_GE(unix_now_ms(), planned.load());
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs.now(), 3);
}

TEST(DeadlineThread, StopInterruptsAWait) {
  Runs runs;
  DeadlineThread thread;
  thread.start(std::chrono::hours(1), [&]() -> std::int64_t {
    runs.add();
    return unix_now_ms() + 3'600'000;
  });
  ASSERT_TRUE(runs.wait_for_count(1));
  thread.stop();  // returns although the next deadline is an hour away
  thread.stop();  // twice is harmless
  EXPECT_EQ(runs.now(), 1);
}

}  // namespace
}  // namespace qsip::server
