// The one writer of the SQLite store. Modules submit write tasks from any
// thread; a dedicated thread runs them in batches, one transaction (one
// fsync) per batch, each task inside its own savepoint so that one failing
// task does not undo the others, and calls each task's completion after the
// batch is durable. A "delivered_to_server" RECEIPT is sent from such a
// completion, never before (docs/architecture.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::store {

class GroupCommitWriter {
 public:
  struct Options {
    SyncPolicy sync = SyncPolicy::kFull;
    std::size_t max_batch = 512;                     // tasks per transaction
    std::chrono::microseconds max_wait{2000};        // how long a batch waits to fill
    std::size_t max_queue = 100000;                  // submit() refuses beyond this
  };
  using Task = std::function<void(SqliteDatabase&)>;
  // Runs on the writer thread once the task's batch is committed (error is
  // null) or when the task failed (error holds what it threw). Completions
  // should only hand the result to the caller's own thread.
  using Completion = std::function<void(std::exception_ptr error)>;

  GroupCommitWriter(const std::string& path, Options options);
  ~GroupCommitWriter();  // commits what is queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // False when the queue is full (the caller answers 5002 or retries).
  bool submit(Task task, Completion done = {});
  // Blocks until everything submitted before the call is committed.
  void flush();
  // Runs `task` on the writer thread and waits for its commit; rethrows its error.
  void run_sync(Task task);

  std::size_t queued() const;
  std::uint64_t batches_committed() const;

 private:
  struct Item {
    Task task;
    Completion done;
  };
  void run();
  void commit_batch(std::deque<Item>& batch);

  std::string path_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<Item> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t batches_ = 0;
  bool stopping_ = false;
  SqliteDatabase* db_ = nullptr;  // owned by the writer thread
  std::thread thread_;
};

}  // namespace qsip::store
