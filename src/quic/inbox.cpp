// Inbox: the mutex is held only to swap a vector, so producers never wait
// on a running task; tasks run in batches, in the order they were pushed.
#include "quic/inbox.hpp"

namespace qsip::quic {

Inbox::Inbox(struct ev_loop* loop, Worker& owner, size_t capacity)
    : loop_(loop), owner_(owner), capacity_(capacity) {
  ev_async_init(&async_, &Inbox::on_async);
  async_.data = this;
  pending_.reserve(64);
}

Inbox::~Inbox() { stop(); }

void Inbox::start() { ev_async_start(loop_, &async_); }

void Inbox::stop() {
  if (ev_is_active(&async_)) ev_async_stop(loop_, &async_);
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.clear();
}

void Inbox::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

bool Inbox::push(InboxTask task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || pending_.size() >= capacity_) return false;
    pending_.push_back(std::move(task));
  }
  // ev_async_send is the one libev call documented as thread-safe.
  ev_async_send(loop_, &async_);
  return true;
}

void Inbox::on_async(struct ev_loop*, ev_async* w, int) { static_cast<Inbox*>(w->data)->drain(); }

void Inbox::drain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.swap(pending_);
  }
  for (auto& task : running_) task(owner_);
  running_.clear();
}

}  // namespace qsip::quic
