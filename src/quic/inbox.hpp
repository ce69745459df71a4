// A worker's inbox: a bounded multi-producer queue of tasks run on the
// worker's event loop thread, woken by ev_async. Everything that crosses
// workers goes through it: packets that reached the wrong worker after a
// migration, and application work (Server::post).
#pragma once

#include <ev.h>

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace qsip::quic {

class Worker;

// A task runs on the owning worker's thread with that worker.
using InboxTask = std::function<void(Worker&)>;

class Inbox {
 public:
  // `capacity` bounds the tasks waiting at once.
  Inbox(struct ev_loop* loop, Worker& owner, size_t capacity);
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  // Starts the wake-up watcher; call on the owner thread before ev_run.
  void start();
  // Stops the watcher; tasks still queued are discarded without running.
  void stop();

  // Queues a task from any thread. Returns false (the task is not queued)
  // when the inbox holds `capacity` tasks already or has been closed.
  bool push(InboxTask task);
  // Refuses every later push (used during stop).
  void close();

  size_t capacity() const { return capacity_; }

 private:
  static void on_async(struct ev_loop* loop, ev_async* w, int revents);
  void drain();

  struct ev_loop* loop_;
  Worker& owner_;
  size_t capacity_;
  ev_async async_{};
  std::mutex mutex_;
  bool closed_ = false;
  std::vector<InboxTask> pending_;   // guarded by mutex_
  std::vector<InboxTask> running_;   // owner thread only; swapped with pending_
};

}  // namespace qsip::quic
