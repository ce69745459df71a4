// How the files module gets back to a connection later, on the worker
// thread that owns it: to pace a download on the connection's send queue,
// to notice an idle transfer, to answer once the writer committed a
// record. The server implements it on the QUIC workers' inboxes
// (serving/quic_session_timer.hpp); tests run tasks by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace qsip::server {

class ClientSession;

class SessionTimer {
 public:
  using Task = std::function<void(ClientSession&)>;
  virtual ~SessionTimer() = default;
  // Runs `task` after `delay` (0: as soon as possible) on the worker that
  // owns the connection, with its session; never when the connection is
  // gone by then. Thread-safe.
  virtual void run_after(std::uint64_t connection_id, std::chrono::milliseconds delay, Task task) = 0;
};

}  // namespace qsip::server
