// SessionTimer over the QUIC workers: one thread keeps the pending tasks in
// deadline order and, when one is due, posts it to the inbox of the worker
// that owns the connection, where it runs with the connection's session
// (if the connection is still there). The files module paces downloads
// and notices idle transfers with it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include "quic/server.hpp"
#include "server/files/session_timer.hpp"

namespace qsip::server {

class QuicSessionTimer final : public SessionTimer {
 public:
  explicit QuicSessionTimer(quic::Server& server);
  ~QuicSessionTimer() override;  // pending tasks are dropped
  QuicSessionTimer(const QuicSessionTimer&) = delete;
  QuicSessionTimer& operator=(const QuicSessionTimer&) = delete;

  void run_after(std::uint64_t connection_id, std::chrono::milliseconds delay, Task task) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    std::uint64_t connection_id;
    Task task;
    int attempts = 0;  // posts refused (a full inbox): retried a few times, then dropped
  };
  void run();
  bool post(Pending& pending);

  quic::Server& server_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, Pending> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
