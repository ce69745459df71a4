#include "server/signals.hpp"

#include <ev.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

#include "server/log_fields.hpp"

namespace qsip::server {

namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_termination_signals() {
  sigset_t set = termination_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket must be an error code, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
}

// The signals arrive through our own signalfd watched by an ev_io rather
// than through ev_signal: libev's ev_signal_stop unblocks the signal in the
// calling thread, which would let a late SIGTERM kill the process with the
// default action while it is finishing its graceful stop.
struct SignalLoop::Watchers {
  int signal_fd = -1;
  ev_io signals;
  ev_async stop;
};

struct SignalLoopCallbacks {
  static void on_signals(struct ev_loop* loop, ev_io* watcher, int /*revents*/) {
    auto* self = static_cast<SignalLoop*>(watcher->data);
    signalfd_siginfo info;
    while (::read(watcher->fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGHUP) {
        log_event(*self->logger_, spdlog::level::info, "SIGHUP: reloading the certificate");
        if (self->hooks_.reload) self->hooks_.reload();
        continue;
      }
      self->reason_ = info.ssi_signo == SIGINT ? StopReason::sigint : StopReason::sigterm;
      ev_break(loop, EVBREAK_ALL);
      return;  // leave later signals pending; run() is over
    }
  }

  static void on_stop(struct ev_loop* loop, ev_async* /*watcher*/, int /*revents*/) {
    ev_break(loop, EVBREAK_ALL);
  }
};

SignalLoop::SignalLoop(SignalHooks hooks, std::shared_ptr<spdlog::logger> logger)
    : hooks_(std::move(hooks)), logger_(std::move(logger)), watchers_(std::make_unique<Watchers>()) {
  sigset_t set = termination_signals();
  // Normally done in main already; repeated so the loop works in any thread
  // that calls it first (tests).
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watchers_->signal_fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (watchers_->signal_fd < 0) throw std::runtime_error("signalfd failed");
  loop_ = ev_loop_new(EVFLAG_NOENV | EVFLAG_NOSIGMASK);
  if (loop_ == nullptr) {
    ::close(watchers_->signal_fd);
    throw std::runtime_error("cannot create the signal event loop");
  }
  ev_io_init(&watchers_->signals, &SignalLoopCallbacks::on_signals, watchers_->signal_fd, EV_READ);
  watchers_->signals.data = this;
  ev_io_start(loop_, &watchers_->signals);
  ev_async_init(&watchers_->stop, &SignalLoopCallbacks::on_stop);
  watchers_->stop.data = this;
  ev_async_start(loop_, &watchers_->stop);
}

SignalLoop::~SignalLoop() {
  ev_io_stop(loop_, &watchers_->signals);
  ev_async_stop(loop_, &watchers_->stop);
  ev_loop_destroy(loop_);
  ::close(watchers_->signal_fd);
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
