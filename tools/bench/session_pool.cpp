#include "session_pool.hpp"

namespace qsip::bench {
namespace {

constexpr bool contains(std::string_view body, std::string_view what) {
  return body.find(what) != std::string_view::npos;
}

}  // namespace

SessionPool::SessionPool(LoadTarget target, FrameCallback on_frame)
    : target_(std::move(target)), on_frame_(std::move(on_frame)), loop_(ev_loop_new(EVFLAG_AUTO)) {
  endpoint_ = std::make_unique<quic::ClientEndpoint>(loop_, *this);
  ev_timer_init(&tick_, &SessionPool::on_tick, 0.001, 0.001);
}

SessionPool::~SessionPool() {
  ev_timer_stop(loop_, &tick_);
  endpoint_.reset();
  ev_loop_destroy(loop_);
}

void SessionPool::start(Session& s) {
  quic::ClientConfig config;
  config.host = target_.host;
  config.port = target_.port;
  config.tls = target_.tls;
  config.limits.keepalive = std::chrono::seconds(15);
  config.user_data = &s;
  if (max_queued_datagrams_) config.limits.max_queued_datagrams = max_queued_datagrams_;
  s.state = State::kConnecting;
  ++in_flight_;
  try {
    s.conn = &endpoint_->connect(config);
  } catch (const std::exception&) {
    settle(s, State::kFailed);  // no socket left (EMFILE) or similar
  }
}

void SessionPool::settle(Session& s, State to) {
  if (s.state == State::kConnecting || s.state == State::kRegistering) --in_flight_;
  if (to == State::kRegistered) ++registered_;
  s.state = to;
}

std::size_t SessionPool::open(const std::vector<std::string>& registers, std::size_t concurrency,
                              std::chrono::seconds timeout) {
  sessions_.reserve(registers.size());
  for (std::size_t i = 0; i < registers.size(); ++i) {
    auto s = std::make_unique<Session>();
    s->index = i;
    s->register_frame = core::encode_frame(registers[i]);
    sessions_.push_back(std::move(s));
  }
  std::size_t next = 0;
  run_until(
      [&] {
        while (next < sessions_.size() && in_flight_ < concurrency) start(*sessions_[next++]);
        return next == sessions_.size() && in_flight_ == 0;
      },
      timeout);
  return registered_;
}

bool SessionPool::send(std::size_t session, std::string_view json) {
  Session& s = *sessions_.at(session);
  if (s.state != State::kRegistered || !s.conn) return false;
  auto frame = core::encode_frame(json);
  auto r = s.conn->send(s.stream, std::span(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
  return r == quic::SendResult::kQueued;
}

bool SessionPool::send_datagram(std::size_t session, std::span<const std::uint8_t> datagram) {
  Session& s = *sessions_.at(session);
  return s.state == State::kRegistered && s.conn && s.conn->send_datagram(datagram);
}

void SessionPool::on_datagram(quic::Connection& conn, std::span<const uint8_t> data, bool) {
  auto* s = static_cast<Session*>(conn.user_data());
  if (s && s->state == State::kRegistered && on_datagram_) on_datagram_(s->index, data);
}

bool SessionPool::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  ev_timer_start(loop_, &tick_);
  bool ok = false;
  while (!(ok = done()) && std::chrono::steady_clock::now() < until) ev_run(loop_, EVRUN_ONCE);
  ev_timer_stop(loop_, &tick_);
  return ok;
}

void SessionPool::on_established(quic::Connection& conn, const quic::HandshakeInfo&) {
  auto* s = static_cast<Session*>(conn.user_data());
  if (!s || s->state != State::kConnecting) return;
  s->stream = conn.open_bidi_stream();
  if (s->stream < 0) {
    conn.close(0);
    return;
  }
  const std::string& frame = s->register_frame;
  conn.send(s->stream, std::span(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
  std::string().swap(s->register_frame);
  s->state = State::kRegistering;
}

void SessionPool::on_stream_data(quic::Connection& conn, int64_t, std::span<const uint8_t> data, bool, bool) {
  auto* s = static_cast<Session*>(conn.user_data());
  if (!s) return;
  struct Sink : core::FrameDecoder::Sink {
    SessionPool& pool;
    Session& session;
    Sink(SessionPool& p, Session& se) : pool(p), session(se) {}
    void on_frame(core::FrameDecoder::Event e, std::string_view body, std::string_view, std::uint64_t) override {
      if (e != core::FrameDecoder::Event::kFrame) return;
      if (session.state == State::kRegistering) {
        // The server answers REGISTER before it pushes anything else.
        bool ok = contains(body, R"("type":"RECEIPT")") && contains(body, R"("status":"registered")");
        pool.settle(session, ok ? State::kRegistered : State::kFailed);
        if (!ok && session.conn) session.conn->close(0);
        return;
      }
      if (session.state == State::kRegistered) pool.on_frame_(session.index, body);
    }
  } sink(*this, *s);
  s->decoder.feed(data, sink);
}

void SessionPool::on_closed(quic::Connection& conn, const quic::CloseInfo&) {
  auto* s = static_cast<Session*>(conn.user_data());
  if (!s) return;
  settle(*s, State::kFailed);
  s->conn = nullptr;
  ++closed_;
}

}  // namespace qsip::bench
