// Reaching a connection owned by any worker: the server's implementation
// posts to the owner's inbox (src/server/serving), tests record. Handlers
// use it through send_to_user() and friends, never through QUIC directly.
#pragma once

#include <cstdint>
#include <functional>

#include "server/dispatch/outbound.hpp"

namespace qsip::server {

class ClientSession;

class ConnectionMailer {
 public:
  virtual ~ConnectionMailer() = default;
  // Queues `frame` on the connection's primary stream. False when the
  // connection is unknown or its worker cannot take more work now.
  virtual bool deliver(std::uint64_t connection_id, FrameBytes frame, Delivery delivery) = 0;
  // Runs `task` on the worker that owns the connection, with its session.
  // False when the connection is unknown or its worker cannot take more work
  // now; the task is then dropped (it never runs elsewhere).
  virtual bool run(std::uint64_t connection_id, std::function<void(ClientSession&)> task) = 0;
  // Closes the connection with a QUIC application error code.
  virtual void close(std::uint64_t connection_id, std::uint64_t app_error_code) = 0;
};

}  // namespace qsip::server
