#include "server/signals.hpp"

#include <ev.h>

#include <csignal>
#include <stdexcept>

#include "server/log_fields.hpp"

namespace qsip::server {

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket must be an error code, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
}

struct SignalLoop::Watchers {
  ev_signal term;
  ev_signal interrupt;
  ev_signal hangup;
  ev_async stop;
};

struct SignalLoopCallbacks {
  static void on_signal(struct ev_loop* loop, ev_signal* watcher, int /*revents*/) {
    auto* self = static_cast<SignalLoop*>(watcher->data);
    if (watcher->signum == SIGHUP) {
      log_event(*self->logger_, spdlog::level::info, "SIGHUP: reloading the certificate");
      if (self->hooks_.reload) self->hooks_.reload();
      return;
    }
    self->reason_ = watcher->signum == SIGINT ? StopReason::sigint : StopReason::sigterm;
    ev_break(loop, EVBREAK_ALL);
  }

  static void on_stop(struct ev_loop* loop, ev_async* /*watcher*/, int /*revents*/) {
    ev_break(loop, EVBREAK_ALL);
  }
};

SignalLoop::SignalLoop(SignalHooks hooks, std::shared_ptr<spdlog::logger> logger)
    : hooks_(std::move(hooks)), logger_(std::move(logger)), watchers_(std::make_unique<Watchers>()) {
  // signalfd, and no fiddling with the mask: block_termination_signals did it for every thread.
  loop_ = ev_loop_new(EVFLAG_NOENV | EVFLAG_SIGNALFD | EVFLAG_NOSIGMASK);
  if (loop_ == nullptr) throw std::runtime_error("cannot create the signal event loop");
  auto start_signal = [this](ev_signal& w, int signum) {
    ev_signal_init(&w, &SignalLoopCallbacks::on_signal, signum);
    w.data = this;
    ev_signal_start(loop_, &w);
  };
  start_signal(watchers_->term, SIGTERM);
  start_signal(watchers_->interrupt, SIGINT);
  start_signal(watchers_->hangup, SIGHUP);
  ev_async_init(&watchers_->stop, &SignalLoopCallbacks::on_stop);
  watchers_->stop.data = this;
  ev_async_start(loop_, &watchers_->stop);
}

SignalLoop::~SignalLoop() {
  ev_signal_stop(loop_, &watchers_->term);
  ev_signal_stop(loop_, &watchers_->interrupt);
  ev_signal_stop(loop_, &watchers_->hangup);
  ev_async_stop(loop_, &watchers_->stop);
  ev_loop_destroy(loop_);
}

StopReason SignalLoop::run() {
  ev_run(loop_, 0);
  const char* why = reason_ == StopReason::sigterm  ? "SIGTERM"
                    : reason_ == StopReason::sigint ? "SIGINT"
                                                    : "stop requested";
  log_event(*logger_, spdlog::level::info, "stopping", {{"reason", why}});
  if (hooks_.stop) hooks_.stop();
  return reason_;
}

void SignalLoop::request_stop() { ev_async_send(loop_, &watchers_->stop); }

}  // namespace qsip::server
