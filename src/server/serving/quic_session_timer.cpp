#include "server/serving/quic_session_timer.hpp"

#include <vector>

#include "quic/worker.hpp"
#include "server/serving/session_bridge.hpp"

namespace qsip::server {

namespace {
constexpr int kMaxAttempts = 50;
constexpr std::chrono::milliseconds kRetryDelay{10};
}  // namespace

QuicSessionTimer::QuicSessionTimer(quic::Server& server) : server_(server), thread_([this] { run(); }) {}

QuicSessionTimer::~QuicSessionTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void QuicSessionTimer::run_after(std::uint64_t connection_id, std::chrono::milliseconds delay, Task task) {
  Pending pending{connection_id, std::move(task)};
  // Due now: straight to the worker, without waking this thread.
  if (delay.count() <= 0 && post(pending)) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    pending_.emplace(Clock::now() + delay, std::move(pending));
  }
  wake_.notify_one();
}

bool QuicSessionTimer::post(Pending& pending) {
  return server_.post(quic::Server::worker_of(pending.connection_id),
                      [connection_id = pending.connection_id, task = pending.task](quic::Worker& worker) {
                        auto* conn = worker.find(connection_id);
                        if (!conn) return;  // gone meanwhile
                        if (auto* session = SessionBridge::session_of(*conn)) task(*session);
                      });
}

void QuicSessionTimer::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (pending_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto next = pending_.begin()->first;
    if (Clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    std::vector<Pending> due;
    auto now = Clock::now();
    while (!pending_.empty() && pending_.begin()->first <= now) {
      due.push_back(std::move(pending_.begin()->second));
      pending_.erase(pending_.begin());
    }
    lock.unlock();
    std::vector<Pending> refused;
    for (auto& p : due)
      if (!post(p) && ++p.attempts < kMaxAttempts) refused.push_back(std::move(p));
    lock.lock();
    for (auto& p : refused) pending_.emplace(Clock::now() + kRetryDelay, std::move(p));
  }
}

}  // namespace qsip::server
