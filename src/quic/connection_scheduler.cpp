// ConnectionScheduler implementation.
#include "quic/connection_scheduler.hpp"

#include <algorithm>

#include "quic/connection.hpp"

namespace qsip::quic {

ConnectionScheduler::ConnectionScheduler(struct ev_loop* loop,
                                         std::function<void(Connection&)> destroy)
    : loop_(loop), destroy_(std::move(destroy)) {
  ev_prepare_init(&prepare_, &ConnectionScheduler::on_prepare);
  prepare_.data = this;
  ev_prepare_start(loop_, &prepare_);
  // The prepare watcher alone must not keep ev_run alive.
  ev_unref(loop_);
}

ConnectionScheduler::~ConnectionScheduler() {
  ev_ref(loop_);
  ev_prepare_stop(loop_, &prepare_);
}

void ConnectionScheduler::on_prepare(struct ev_loop*, ev_prepare* w, int) {
  static_cast<ConnectionScheduler*>(w->data)->run();
}

void ConnectionScheduler::run() {
  // Processing may schedule more (handlers sending on other connections):
  // repeat until quiet.
  while (!pending_.empty()) {
    running_.swap(pending_);
    for (Connection* c : running_) {
      if (!c->process()) {
        if (c->scheduled) std::erase(pending_, c);
        destroy_(*c);
      }
    }
    running_.clear();
  }
}

}  // namespace qsip::quic
