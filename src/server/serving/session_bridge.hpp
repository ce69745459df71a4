// Connects the QUIC endpoint to the dispatcher: one ClientSession per QUIC
// connection (kept in the connection's user_data), one WorkerContext per
// worker thread, and the datagram echo flow. Called on worker threads; each
// connection only ever on its owner's.
#pragma once

#include <memory>
#include <vector>

#include "quic/connection.hpp"
#include "quic/connection_handler.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/media/media_relay.hpp"
#include "server/server_metrics.hpp"

namespace qsip::server {

// Datagrams on this flow id come straight back to their sender: a
// diagnostic for `qsip ping` and interop tests (docs/wire-format.md 7).
inline constexpr std::uint64_t kEchoFlowId = (std::uint64_t{1} << 62) - 1;

class SessionBridge final : public quic::ConnectionHandler {
 public:
  // One context per worker, indexed by quic::Server::worker_of(connection id).
  // `relay` (may be null: no media relay) gets every datagram that is not an echo.
  SessionBridge(std::vector<std::unique_ptr<WorkerContext>>& workers, ServerMetrics& metrics,
                media::MediaRelay* relay = nullptr);

  void on_established(quic::Connection& conn, const quic::HandshakeInfo& info) override;
  void on_stream_data(quic::Connection& conn, int64_t stream_id, std::span<const uint8_t> data, bool fin,
                      bool early) override;
  void on_stream_reset(quic::Connection& conn, int64_t stream_id, uint64_t app_error_code) override;
  void on_datagram(quic::Connection& conn, std::span<const uint8_t> data, bool early) override;
  void on_closed(quic::Connection& conn, const quic::CloseInfo& info) override;

  // The QSIP session of a connection, or nullptr before its first event.
  static ClientSession* session_of(quic::Connection& conn);

 private:
  struct ConnectionState;
  ConnectionState& state(quic::Connection& conn);

  std::vector<std::unique_ptr<WorkerContext>>& workers_;
  ServerMetrics& metrics_;
  media::MediaRelay* relay_;
};

}  // namespace qsip::server
