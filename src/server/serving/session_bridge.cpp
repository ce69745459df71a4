#include "server/serving/session_bridge.hpp"

#include <chrono>

#include "core/varint.hpp"
#include "quic/server.hpp"

namespace qsip::server {

namespace {

// Sends what the dispatcher produces on the QUIC connection: framed
// messages, and the raw bytes of handed-over streams (file transfer).
class QuicOutbound final : public Outbound, public RawStreamWriter {
 public:
  explicit QuicOutbound(quic::Connection& conn) : conn_(conn) {}
  SendResult send(std::int64_t stream_id, FrameBytes frame, Delivery delivery) override {
    quic::SendOptions options;
    options.droppable = delivery == Delivery::kDroppable;
    auto bytes = std::span(reinterpret_cast<const uint8_t*>(frame->data()), frame->size());
    switch (conn_.send(stream_id, bytes, options)) {
      case quic::SendResult::kQueued: return SendResult::kQueued;
      case quic::SendResult::kRefusedDroppable: return SendResult::kDropped;
      default: return SendResult::kClosed;
    }
  }
  void close(std::uint64_t app_error_code, std::string_view) override { conn_.close(app_error_code); }

  SendResult write(std::int64_t stream_id, std::string_view bytes, bool fin) override {
    quic::SendOptions options;
    options.fin = fin;
    auto data = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return conn_.send(stream_id, data, options) == quic::SendResult::kQueued ? SendResult::kQueued : SendResult::kClosed;
  }
  void reset(std::int64_t stream_id, std::uint64_t app_error_code) override { conn_.reset_stream(stream_id, app_error_code); }
  std::size_t queued_bytes() const override { return conn_.queued_bytes(); }

 private:
  quic::Connection& conn_;
};

// Echoes are a diagnostic, not a bandwidth service: a few per second each.
class EchoBudget {
 public:
  bool take() {
    auto now = std::chrono::steady_clock::now();
    double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(kBurst, tokens_ + elapsed * kPerSecond);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  static constexpr double kBurst = 50;
  static constexpr double kPerSecond = 50;
  double tokens_ = kBurst;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

struct SessionBridge::ConnectionState {
  ConnectionState(WorkerContext& context, quic::Connection& conn)
      : outbound(conn), session(context, outbound, conn.id()) {
    session.set_peer_address(conn.remote_address().host_string());
    session.raw_streams().set_writer(&outbound);
  }
  QuicOutbound outbound;
  ClientSession session;
  EchoBudget echo;
};

SessionBridge::SessionBridge(std::vector<std::unique_ptr<WorkerContext>>& workers, ServerMetrics& metrics,
                             media::MediaRelay* relay)
    : workers_(workers), metrics_(metrics), relay_(relay) {}

SessionBridge::ConnectionState& SessionBridge::state(quic::Connection& conn) {
  // Created at the first event: with 0-RTT, stream data comes before on_established.
  if (!conn.user_data()) {
    auto& context = *workers_.at(quic::Server::worker_of(conn.id()));
    conn.set_user_data(new ConnectionState(context, conn));
  }
  return *static_cast<ConnectionState*>(conn.user_data());
}

ClientSession* SessionBridge::session_of(quic::Connection& conn) {
  auto* state = static_cast<ConnectionState*>(conn.user_data());
  return state ? &state->session : nullptr;
}

void SessionBridge::on_established(quic::Connection& conn, const quic::HandshakeInfo& info) {
  metrics_.connections_accepted.inc();
  metrics_.handshakes.labels({info.resumed ? "resumed" : "full"}).inc();
  metrics_.handshake_duration.observe(std::chrono::duration<double>(info.duration).count());
  state(conn).session.on_handshake_confirmed();
}

void SessionBridge::on_stream_data(quic::Connection& conn, int64_t stream_id, std::span<const uint8_t> data, bool fin,
                                   bool early) {
  state(conn).session.on_stream_data(
      stream_id, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), fin, early);
}

void SessionBridge::on_stream_reset(quic::Connection& conn, int64_t stream_id, uint64_t) {
  state(conn).session.on_stream_closed(stream_id);
}

void SessionBridge::on_datagram(quic::Connection& conn, std::span<const uint8_t> data, bool) {
  metrics_.datagrams_in.inc();
  auto flow = core::varint_decode(data);
  if (flow && flow->value == kEchoFlowId && state(conn).echo.take() && conn.send_datagram(data)) {
    metrics_.datagrams_out.inc();
    return;
  }
  // Media: the relay forwards datagrams on flows announced in a call (and
  // counts what it forwards or drops); anything else is dropped here.
  if (relay_ && relay_->on_datagram(conn, data)) return;
  metrics_.datagrams_dropped.inc();
}

void SessionBridge::on_closed(quic::Connection& conn, const quic::CloseInfo&) {
  delete static_cast<ConnectionState*>(conn.user_data());
  conn.set_user_data(nullptr);
}

}  // namespace qsip::server
