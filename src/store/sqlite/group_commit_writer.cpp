#include "store/sqlite/group_commit_writer.hpp"

#include <future>
#include <memory>

namespace qsip::store {

GroupCommitWriter::GroupCommitWriter(const std::string& path, Options options) : path_(path), options_(options) {
  std::promise<void> opened;
  auto ready = opened.get_future();
  thread_ = std::thread([this, &opened] {
    // The connection lives on the writer thread only.
    std::unique_ptr<SqliteDatabase> db;
    try {
      db = std::make_unique<SqliteDatabase>(path_, options_.sync);
    } catch (...) {
      opened.set_exception(std::current_exception());
      return;
    }
    db_ = db.get();
    opened.set_value();  // `opened` is not touched after this
    run();
    db_ = nullptr;
  });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool GroupCommitWriter::submit(Task task, Completion done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.max_queue) return false;
    queue_.push_back(Item{std::move(task), std::move(done)});
    ++submitted_;
  }
  wake_.notify_one();
  return true;
}

void GroupCommitWriter::flush() {
  std::unique_lock lock(mutex_);
  std::uint64_t target = submitted_;
  drained_.wait(lock, [&] { return completed_ >= target || (stopping_ && queue_.empty()); });
}

void GroupCommitWriter::run_sync(Task task) {
  std::promise<void> done;
  auto result = done.get_future();
  if (!submit(std::move(task), [&done](std::exception_ptr error) {
        if (error) done.set_exception(error);
        else done.set_value();
      }))
    throw StoreError("store writer queue is full");
  result.get();
}

std::size_t GroupCommitWriter::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::uint64_t GroupCommitWriter::batches_committed() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

void GroupCommitWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) break;
    // Let a batch fill for a moment: one fsync then covers many writes.
    if (queue_.size() < options_.max_batch && !stopping_)
      wake_.wait_for(lock, options_.max_wait, [&] { return stopping_ || queue_.size() >= options_.max_batch; });
    std::deque<Item> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    commit_batch(batch);
    lock.lock();
    completed_ += batch.size();
    ++batches_;
    drained_.notify_all();
  }
  drained_.notify_all();
}

void GroupCommitWriter::commit_batch(std::deque<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr batch_error;
  try {
    Transaction tx(*db_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // Prepared once (cached): parsing these per task showed in profiles.
      db_->cached("SAVEPOINT task").run();
      try {
        batch[i].task(*db_);
        db_->cached("RELEASE task").run();
      } catch (...) {
        errors[i] = std::current_exception();
        db_->end_open_reads();  // a failed task may leave a statement mid-step
        db_->cached("ROLLBACK TO task").run();
        db_->cached("RELEASE task").run();
      }
    }
    tx.commit();
  } catch (...) {
    batch_error = std::current_exception();  // the commit itself failed: nothing is durable
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(batch_error ? batch_error : errors[i]);
}

}  // namespace qsip::store
