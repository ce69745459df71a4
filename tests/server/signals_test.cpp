#include "server/signals.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <csignal>
#include <thread>

namespace qsip::server {
namespace {

// Blocked before main, so before any thread of this test program exists,
// as qsipd does first thing: a signal sent below can reach only the signalfd.
const bool kSignalsBlocked = [] {
  block_termination_signals();
  return true;
}();

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

TEST(SignalLoop, RequestStopFromAnotherThreadEndsRunAndCallsTheStopHook) {
  ASSERT_TRUE(kSignalsBlocked);
  int stops = 0;
  SignalLoop loop({.stop = [&] { ++stops; }, .reload = {}}, quiet_logger());
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.request_stop();
  });
  EXPECT_EQ(loop.run(), StopReason::requested);
  other.join();
  EXPECT_EQ(stops, 1);
}

TEST(SignalLoop, SigtermEndsRun) {
  int stops = 0;
  SignalLoop loop({.stop = [&] { ++stops; }, .reload = {}}, quiet_logger());
  ::kill(::getpid(), SIGTERM);
  EXPECT_EQ(loop.run(), StopReason::sigterm);
  EXPECT_EQ(stops, 1);
}

TEST(SignalLoop, SigintEndsRun) {
  SignalLoop loop({}, quiet_logger());
  ::kill(::getpid(), SIGINT);
  EXPECT_EQ(loop.run(), StopReason::sigint);
}

TEST(SignalLoop, SighupCallsTheReloadHookAndKeepsRunning) {
  int reloads = 0;
  int stops = 0;
  SignalLoop* self = nullptr;
  SignalLoop loop({.stop = [&] { ++stops; },
                   .reload =
                       [&] {
                         if (++reloads == 2) self->request_stop();
                       }},
                  quiet_logger());
  self = &loop;
  std::thread sender([] {
    ::kill(::getpid(), SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::kill(::getpid(), SIGHUP);
  });
  EXPECT_EQ(loop.run(), StopReason::requested);
  sender.join();
  EXPECT_EQ(reloads, 2);
  EXPECT_EQ(stops, 1);
}

}  // namespace
}  // namespace qsip::server
