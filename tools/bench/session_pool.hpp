// Many registered QSIP sessions on one libev loop, for workloads where
// parties talk to each other through the server (presence fan-out). Each
// session is a QUIC client connection whose first bidirectional stream
// carries its REGISTER and everything after it; being the first stream, it
// is also the primary stream the server pushes on. Every frame a session
// receives after its REGISTER answer is handed to the workload with the
// session's index.
#pragma once

#include <ev.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connection_load.hpp"
#include "core/frame_decoder.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"

namespace qsip::bench {

class SessionPool final : public quic::ConnectionHandler {
 public:
  // `on_frame(session, body)`: a frame's JSON text, valid during the call.
  using FrameCallback = std::function<void(std::size_t, std::string_view)>;

  // `on_datagram(session, bytes)`: a QUIC DATAGRAM's payload, valid during the call.
  using DatagramCallback = std::function<void(std::size_t, std::span<const std::uint8_t>)>;

  SessionPool(LoadTarget target, FrameCallback on_frame);
  ~SessionPool() override;
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // Opens one session per REGISTER message (session i sends registers[i]),
  // with at most `concurrency` handshakes and registrations in flight. Call
  // once. Returns how many were registered (RECEIPT) within `timeout`.
  std::size_t open(const std::vector<std::string>& registers, std::size_t concurrency, std::chrono::seconds timeout);

  // Queues a message on the session's stream; false when the session is
  // not registered or is gone.
  bool send(std::size_t session, std::string_view json);

  // Media: datagrams a session receives go to `callback` (set before open);
  // send_datagram queues one (false when the session is gone or its queue,
  // `max_queued_datagrams` set before open, is full).
  void on_datagram(DatagramCallback callback) { on_datagram_ = std::move(callback); }
  void set_max_queued_datagrams(std::size_t n) { max_queued_datagrams_ = n; }
  bool send_datagram(std::size_t session, std::span<const std::uint8_t> datagram);

  // Runs the loop until `done()` or `timeout`; returns done(). The loop
  // wakes at least every millisecond, so `done` may watch the clock.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  std::size_t size() const { return sessions_.size(); }
  std::size_t closed() const { return closed_; }

  void on_established(quic::Connection& conn, const quic::HandshakeInfo& info) override;
  void on_stream_data(quic::Connection& conn, int64_t stream_id, std::span<const uint8_t> data, bool fin,
                      bool early) override;
  void on_datagram(quic::Connection& conn, std::span<const uint8_t> data, bool early) override;
  void on_closed(quic::Connection& conn, const quic::CloseInfo& info) override;

 private:
  enum class State { kIdle, kConnecting, kRegistering, kRegistered, kFailed };
  struct Session {
    std::size_t index = 0;
    quic::Connection* conn = nullptr;
    int64_t stream = -1;
    State state = State::kIdle;
    core::FrameDecoder decoder;
    std::string register_frame;
  };
  void start(Session& s);
  void settle(Session& s, State to);  // leaves the connecting/registering phase
  static void on_tick(struct ev_loop*, ev_timer*, int) {}

  LoadTarget target_;
  FrameCallback on_frame_;
  DatagramCallback on_datagram_;
  std::size_t max_queued_datagrams_ = 0;  // 0: the endpoint's default
  struct ev_loop* loop_;
  std::unique_ptr<quic::ClientEndpoint> endpoint_;
  std::vector<std::unique_ptr<Session>> sessions_;
  std::size_t in_flight_ = 0;
  std::size_t registered_ = 0;
  std::size_t closed_ = 0;
  ev_timer tick_{};
};

}  // namespace qsip::bench
