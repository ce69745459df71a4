// Process signals, read from a signalfd by a libev loop in the main thread:
// no work runs in an asynchronous signal handler.
//   SIGTERM, SIGINT  end run() and then call the stop hook (graceful stop)
//   SIGHUP           call the reload hook (certificate reload)
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <memory>

struct ev_loop;

namespace qsip::server {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and ignores
// SIGPIPE. Call first thing in main, before any thread starts, so every
// thread inherits the mask and only SignalLoop's signalfd receives them.
void block_termination_signals();

struct SignalHooks {
  std::function<void()> stop;    // once, after run() leaves its loop; may block (bounded by the watchdog)
  std::function<void()> reload;  // on every SIGHUP, on the loop's thread
};

enum class StopReason { sigterm, sigint, requested };

class SignalLoop {
 public:
  SignalLoop(SignalHooks hooks, std::shared_ptr<spdlog::logger> logger);
  ~SignalLoop();
  SignalLoop(const SignalLoop&) = delete;
  SignalLoop& operator=(const SignalLoop&) = delete;

  // Waits for SIGTERM, SIGINT or request_stop(), handling SIGHUP meanwhile;
  // then calls the stop hook and returns why it stopped. Call once.
  StopReason run();

  // Makes run() return as after SIGTERM; safe from any thread (for a
  // component that fails and wants the process to stop).
  void request_stop();

 private:
  struct Watchers;  // libev watchers, in signals.cpp
  friend struct SignalLoopCallbacks;

  SignalHooks hooks_;
  std::shared_ptr<spdlog::logger> logger_;
  struct ev_loop* loop_ = nullptr;
  std::unique_ptr<Watchers> watchers_;
  StopReason reason_ = StopReason::requested;
};

}  // namespace qsip::server
