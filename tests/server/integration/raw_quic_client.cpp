#include "raw_quic_client.hpp"

#include <stdexcept>

#include "core/frame_decoder.hpp"
#include "core/payload_builders.hpp"
#include "core/varint.hpp"
#include "running_qsipd.hpp"

namespace qsip::test {

using namespace std::chrono_literals;

namespace {
void on_tick(struct ev_loop*, ev_timer*, int) {}
}  // namespace

RawQuicClient::RawQuicClient(std::uint16_t port) : loop_(ev_loop_new(EVFLAG_AUTO)) {
  endpoint_ = std::make_unique<quic::ClientEndpoint>(loop_, *this);
  quic::ClientConfig config;
  config.host = "127.0.0.1";
  config.port = port;
  config.tls.check = quic::CertificateCheck::kInsecure;
  conn_ = &endpoint_->connect(config);
  if (!run_until([this] { return established_ || closed_; }, 10s) || closed_)
    throw std::runtime_error("RawQuicClient: no handshake");
}

RawQuicClient::~RawQuicClient() {
  endpoint_.reset();  // drops the connection without a word
  ev_loop_destroy(loop_);
}

std::int64_t RawQuicClient::open_stream() { return conn_ ? conn_->open_bidi_stream() : -1; }

bool RawQuicClient::send(std::int64_t stream, std::string_view bytes, bool fin) {
  if (!conn_) return false;
  quic::SendOptions options;
  options.fin = fin;
  return conn_->send(stream, std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), options) ==
         quic::SendResult::kQueued;
}

void RawQuicClient::reset(std::int64_t stream) {
  if (conn_) conn_->reset_stream(stream, 0x5);
}

void RawQuicClient::close() {
  if (conn_) conn_->close(0);
  run_until([this] { return closed_; }, 5s);
}

bool RawQuicClient::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  // A timer wakes the loop so that a quiet connection does not block the wait.
  ev_timer tick;
  ev_timer_init(&tick, on_tick, 0.01, 0.01);
  ev_timer_start(loop_, &tick);
  while (!done() && std::chrono::steady_clock::now() < until) ev_run(loop_, EVRUN_ONCE);
  ev_timer_stop(loop_, &tick);
  return done();
}

void RawQuicClient::on_stream_data(quic::Connection&, int64_t stream_id, std::span<const uint8_t> data, bool fin,
                                   bool) {
  received_[stream_id].append(reinterpret_cast<const char*>(data.data()), data.size());
  if (fin) fins_[stream_id] = true;
}

std::optional<Message> RawQuicClient::first_message(std::int64_t stream) const {
  auto it = received_.find(stream);
  if (it == received_.end()) return std::nullopt;
  const std::string& bytes = it->second;
  auto length = core::varint_decode(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!length || bytes.size() < length->size + length->value) return std::nullopt;
  return Message::parse(bytes.substr(length->size, length->value));
}

std::optional<Message> RawQuicClient::await_message(std::int64_t stream, std::chrono::milliseconds timeout) {
  run_until([&] { return first_message(stream).has_value() || closed_; }, timeout);
  return first_message(stream);
}

std::optional<Message> RawQuicClient::register_as(const std::string& user, const std::string& device,
                                                  const std::string& token) {
  std::int64_t primary = open_stream();
  auto payload = core::builders::RegisterPayload().auth_token(token).device_info(core::RawJson{"{}"});
  send(primary, core::encode_frame(envelope("REGISTER", user, device, payload.json())));
  return await_message(primary, 10s);
}

}  // namespace qsip::test
