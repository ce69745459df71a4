// What a Connection needs from the event loop that owns it (a server Worker
// or a ClientEndpoint): scheduling, a scratch transmit buffer, connection
// IDs, counters and the application handler.
#pragma once

#include <ev.h>
#include <ngtcp2/ngtcp2.h>

#include <cstddef>
#include <cstdint>

namespace qsip::quic {

class Connection;
class ConnectionHandler;
struct EndpointStats;

class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;

  virtual struct ev_loop* loop() = 0;
  // Ask for Connection::process() before the loop next sleeps.
  virtual void schedule(Connection& conn) = 0;
  // A buffer for building outgoing packets; valid until the next call.
  virtual uint8_t* tx_buffer(size_t& capacity) = 0;
  // Issue a new CID for `conn` and its stateless reset token; the host
  // routes packets carrying it to `conn`. Returns false on failure.
  virtual bool issue_cid(Connection& conn, ngtcp2_cid& cid, uint8_t* reset_token,
                         size_t cidlen) = 0;
  // The CID no longer routes to its connection.
  virtual void retire_cid(const ngtcp2_cid& cid) = 0;
  virtual EndpointStats& stats() = 0;
  virtual ConnectionHandler& handler() = 0;
  // Client: rebind `conn` to a new local UDP port. Returns 0, or a negative
  // ngtcp2 error code (NGTCP2_ERR_INVALID_STATE for a server connection).
  virtual int migrate(Connection& conn) = 0;
};

}  // namespace qsip::quic
