// Runs Connection::process() for every connection that asked for it, once
// per event loop iteration just before the loop sleeps (ev_prepare). This
// batches all writes caused by one burst of received packets or
// application sends, and is the only place connections are destroyed, so
// nothing is freed while ngtcp2 or the application is still using it.
#pragma once

#include <ev.h>

#include <functional>
#include <vector>

namespace qsip::quic {

class Connection;

class ConnectionScheduler {
 public:
  // `destroy` is called for each connection whose process() returned false.
  ConnectionScheduler(struct ev_loop* loop, std::function<void(Connection&)> destroy);
  ~ConnectionScheduler();
  ConnectionScheduler(const ConnectionScheduler&) = delete;
  ConnectionScheduler& operator=(const ConnectionScheduler&) = delete;

  void add(Connection& conn) { pending_.push_back(&conn); }
  // Processes everything pending now (also used outside the loop).
  void run();

 private:
  static void on_prepare(struct ev_loop* loop, ev_prepare* w, int revents);

  struct ev_loop* loop_;
  std::function<void(Connection&)> destroy_;
  ev_prepare prepare_{};
  std::vector<Connection*> pending_;
  std::vector<Connection*> running_;
};

}  // namespace qsip::quic
