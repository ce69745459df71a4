#include "connection_load.hpp"

#include "core/envelope_builder.hpp"

namespace qsip::bench {

ConnectionLoad::ConnectionLoad(LoadTarget target, std::function<std::string(std::uint64_t)> first_message)
    : target_(std::move(target)), loop_(ev_loop_new(EVFLAG_AUTO)), first_message_(std::move(first_message)) {
  endpoint_ = std::make_unique<quic::ClientEndpoint>(loop_, *this);
  if (!first_message_) {
    core::EnvelopeFields f;
    f.message_id = "bench-1";
    f.timestamp = "2025-06-01T00:43:25Z";
    f.type = "PRESENCE";
    f.from_user_id = "u-bench";
    f.from_device_id = "d-bench";
    // Answered by every server state (ERROR 4015 before REGISTER): the cost
    // measured is the connection's, not a module's.
    std::string presence = core::build_envelope(f, R"({"status":"available"})");
    first_message_ = [presence](std::uint64_t) { return presence; };
  }
}

ConnectionLoad::~ConnectionLoad() {
  endpoint_.reset();
  ev_loop_destroy(loop_);
}

void ConnectionLoad::start_one(bool resume) {
  quic::ClientConfig config;
  config.host = target_.host;
  config.port = target_.port;
  config.tls = target_.tls;
  config.limits.keepalive = std::chrono::seconds(15);
  if (resume && !tickets_.empty()) {
    config.session_ticket = std::move(tickets_.front());
    tickets_.pop_front();
  }
  bool with_ticket = !config.session_ticket.empty();
  auto& conn = endpoint_->connect(config);
  state_[&conn].frame = core::encode_frame(first_message_(next_index_++));
  ++in_flight_;
  // With a ticket the first message goes as 0-RTT, before the handshake ends.
  if (with_ticket) send_first_message(conn);
}

void ConnectionLoad::send_first_message(quic::Connection& conn) {
  auto it = state_.find(&conn);
  if (it == state_.end() || it->second.frame.empty()) return;
  int64_t stream = conn.open_bidi_stream();
  if (stream < 0) return;
  const std::string& frame = it->second.frame;
  conn.send(stream, std::span(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
  it->second.frame.clear();  // sent once
}

void ConnectionLoad::on_established(quic::Connection& conn, const quic::HandshakeInfo& info) {
  if (info.resumed) ++result_.resumed;
  if (info.early_data_accepted) ++result_.early_data;
  // Without 0-RTT (no ticket, or 0-RTT refused) the message goes now.
  if (!info.early_data_accepted) send_first_message(conn);
}

void ConnectionLoad::on_stream_data(quic::Connection& conn, int64_t, std::span<const uint8_t> data, bool, bool) {
  auto it = state_.find(&conn);
  if (it == state_.end() || it->second.answered) return;
  struct Sink : core::FrameDecoder::Sink {
    bool got = false;
    bool error = false;
    void on_frame(core::FrameDecoder::Event e, std::string_view body, std::string_view, std::uint64_t) override {
      if (e != core::FrameDecoder::Event::kFrame || got) return;
      got = true;
      error = body.find("\"type\":\"ERROR\"") != std::string_view::npos;
    }
  } sink;
  it->second.decoder.feed(data, sink);
  if (!sink.got) return;
  it->second.answered = true;
  ++result_.answered;
  if (sink.error) ++result_.errors;
  --in_flight_;
  if (!keep_open_) conn.close(0);
}

void ConnectionLoad::on_session_ticket(quic::Connection&, std::span<const uint8_t> ticket) {
  if (tickets_.size() < 100000) tickets_.emplace_back(ticket.begin(), ticket.end());
}

void ConnectionLoad::on_closed(quic::Connection& conn, const quic::CloseInfo&) {
  auto it = state_.find(&conn);
  if (it != state_.end()) {
    if (!it->second.answered) {
      ++result_.failed;
      --in_flight_;
    }
    state_.erase(it);
  }
}

ConnectionLoad::Result ConnectionLoad::run(std::uint64_t count, std::uint64_t concurrency, bool resume, bool keep_open,
                                           std::chrono::seconds timeout) {
  result_ = {};
  keep_open_ = keep_open;
  in_flight_ = 0;
  std::uint64_t started = 0;
  auto begin = std::chrono::steady_clock::now();
  auto until = begin + timeout;
  while (result_.answered + result_.failed < count && std::chrono::steady_clock::now() < until) {
    while (started < count && in_flight_ < concurrency) {
      try {
        start_one(resume);
      } catch (const std::exception&) {
        ++result_.failed;  // no socket left (EMFILE) or similar
      }
      ++started;
    }
    ev_run(loop_, EVRUN_ONCE);
  }
  result_.elapsed = std::chrono::steady_clock::now() - begin;
  // Let the closes leave.
  auto drain_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (std::chrono::steady_clock::now() < drain_until) ev_run(loop_, EVRUN_NOWAIT);
  return result_;
}

void ConnectionLoad::hold(std::chrono::milliseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  ev_timer t;
  ev_timer_init(&t, [](struct ev_loop*, ev_timer*, int) {}, 0.05, 0.05);
  ev_timer_start(loop_, &t);
  while (std::chrono::steady_clock::now() < until) ev_run(loop_, EVRUN_ONCE);
  ev_timer_stop(loop_, &t);
}

void ConnectionLoad::prime_tickets(std::size_t count) {
  run(count, 64, false, false, std::chrono::seconds(60));
}

}  // namespace qsip::bench
