#include "server/shutdown_watchdog.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>

namespace qsip::server {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

TEST(ShutdownWatchdog, ExpiresWhenTheStopTakesTooLong) {
  std::atomic<int> expired{0};
  ShutdownWatchdog watchdog(quiet_logger(), [&] { ++expired; });
  auto start = std::chrono::steady_clock::now();
  watchdog.arm(50ms);
  while (expired == 0 && std::chrono::steady_clock::now() - start < 5s) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(expired, 1);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
}

TEST(ShutdownWatchdog, DisarmCancelsIt) {
  std::atomic<int> expired{0};
  ShutdownWatchdog watchdog(quiet_logger(), [&] { ++expired; });
  watchdog.arm(100ms);
  watchdog.disarm();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(expired, 0);
}

TEST(ShutdownWatchdog, ASecondArmKeepsTheFirstDeadline) {
  std::atomic<int> expired{0};
  ShutdownWatchdog watchdog(quiet_logger(), [&] { ++expired; });
  watchdog.arm(30ms);
  watchdog.arm(10s);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(expired, 1);
}

TEST(ShutdownWatchdog, DestroyingAnUnarmedWatchdogIsQuiet) {
  std::atomic<int> expired{0};
  { ShutdownWatchdog watchdog(quiet_logger(), [&] { ++expired; }); }
  EXPECT_EQ(expired, 0);
}

}  // namespace
}  // namespace qsip::server
