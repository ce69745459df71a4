// Many QUIC client connections on one libev loop, each sending one QSIP
// message as soon as it can (0-RTT with a ticket) and counting the answer:
// the engine of qsip-bench's workloads.
#pragma once

#include <ev.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/frame_decoder.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"

namespace qsip::bench {

struct LoadTarget {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4433;
  quic::ClientTlsOptions tls;
};

class ConnectionLoad final : public quic::ConnectionHandler {
 public:
  // `first_message(i)` is the JSON each connection i sends first (default: a
  // PRESENCE, answered with ERROR 4015 before REGISTER); the connection
  // counts as answered at the first frame it receives back.
  explicit ConnectionLoad(LoadTarget target, std::function<std::string(std::uint64_t)> first_message = {});
  ~ConnectionLoad() override;

  struct Result {
    std::uint64_t answered = 0;     // connections whose first message was answered
    std::uint64_t errors = 0;       // ... of which with an ERROR
    std::uint64_t failed = 0;       // closed before an answer
    std::uint64_t resumed = 0;      // TLS sessions resumed
    std::uint64_t early_data = 0;   // 0-RTT accepted
    std::chrono::steady_clock::duration elapsed{};
  };

  // Opens `count` connections with at most `concurrency` in flight; each is
  // closed once its first message is answered (keep_open = false) or kept.
  // With `resume`, connections use session tickets gathered from earlier ones.
  Result run(std::uint64_t count, std::uint64_t concurrency, bool resume, bool keep_open,
             std::chrono::seconds timeout);

  std::size_t open_connections() const { return endpoint_->connection_count(); }
  // Runs the loop for `duration` (keepalives flow), for idle holds.
  void hold(std::chrono::milliseconds duration);
  // Gathers tickets: one full handshake whose ticket seeds the pool.
  void prime_tickets(std::size_t count);

  void on_established(quic::Connection& conn, const quic::HandshakeInfo& info) override;
  void on_stream_data(quic::Connection& conn, int64_t stream_id, std::span<const uint8_t> data, bool fin,
                      bool early) override;
  void on_session_ticket(quic::Connection& conn, std::span<const uint8_t> ticket) override;
  void on_closed(quic::Connection& conn, const quic::CloseInfo& info) override;

 private:
  struct PerConnection {
    core::FrameDecoder decoder;
    bool answered = false;
    std::string frame;
  };
  void start_one(bool resume);
  void send_first_message(quic::Connection& conn);

  LoadTarget target_;
  struct ev_loop* loop_;
  std::unique_ptr<quic::ClientEndpoint> endpoint_;
  std::map<quic::Connection*, PerConnection> state_;
  std::deque<std::vector<uint8_t>> tickets_;
  std::function<std::string(std::uint64_t)> first_message_;
  std::uint64_t next_index_ = 0;
  bool keep_open_ = false;
  Result result_;
  std::uint64_t in_flight_ = 0;
};

}  // namespace qsip::bench
