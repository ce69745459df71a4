// The events a QUIC connection reports to the application. Every call is
// made on the thread of the event loop that owns the connection; the
// connection reference is valid for the duration of the call (and until
// on_closed returns, after which it is destroyed).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

namespace qsip::quic {

class Connection;

struct HandshakeInfo {
  std::chrono::microseconds duration{0};  // first packet to handshake completion
  bool resumed = false;                   // TLS session resumed from a ticket
  bool early_data_accepted = false;       // 0-RTT offered and accepted
  std::string alpn;                       // negotiated protocol
};

enum class CloseKind {
  kLocal,           // this side called Connection::close or the endpoint closed it (limits, stop)
  kPeer,            // the peer sent CONNECTION_CLOSE
  kIdleTimeout,     // no packet within the idle timeout
  kStatelessReset,  // the peer answered with a stateless reset
  kHandshakeTimeout,
  kError,           // a transport or TLS error detected here (error_code tells which)
};

struct CloseInfo {
  CloseKind kind = CloseKind::kLocal;
  uint64_t error_code = 0;        // QUIC error code sent or received
  bool application_error = false; // error_code is an application code (kAppError*)
  bool was_established = false;   // handshake had completed
};

class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;

  // The handshake completed. Server: the connection is accepted.
  virtual void on_established(Connection& conn, const HandshakeInfo& info) = 0;
  // The peer opened bidirectional stream `stream_id` (its first data follows).
  virtual void on_stream_opened(Connection& /*conn*/, int64_t /*stream_id*/) {}
  // Bytes arrived on a stream, in order. `early` is true when they came in
  // 0-RTT (possible replay). The bytes are valid only during the call; the
  // endpoint credits them to flow control when the call returns (unless
  // Connection::set_flow_control_credit(false)).
  virtual void on_stream_data(Connection& conn, int64_t stream_id,
                              std::span<const uint8_t> data, bool fin, bool early) = 0;
  // The peer reset the stream (RESET_STREAM) with `app_error_code`.
  virtual void on_stream_reset(Connection& /*conn*/, int64_t /*stream_id*/,
                               uint64_t /*app_error_code*/) {}
  // The stream is closed in both directions and forgotten.
  virtual void on_stream_closed(Connection& /*conn*/, int64_t /*stream_id*/,
                                uint64_t /*app_error_code*/) {}
  // A DATAGRAM frame arrived (valid only during the call).
  virtual void on_datagram(Connection& /*conn*/, std::span<const uint8_t> /*data*/,
                           bool /*early*/) {}
  // Client only: the server sent a session ticket. `ticket` is an opaque
  // blob to store and pass back in ClientConfig::session_ticket.
  virtual void on_session_ticket(Connection& /*conn*/, std::span<const uint8_t> /*ticket*/) {}
  // The connection is gone; the last call for it. Client: always called.
  // Server: called for every connection the application has seen, i.e. on
  // which any other event of this handler was delivered (0-RTT stream data
  // or datagrams arrive before on_established, and the handshake may still
  // fail after them) or whose user_data() is non-null; `was_established`
  // tells whether on_established came. Server connections that fail before
  // any event (refused, timed out, bad TLS) are not reported.
  virtual void on_closed(Connection& conn, const CloseInfo& info) = 0;
};

}  // namespace qsip::quic
