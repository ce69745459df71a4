// libqsip's Client: one QUIC connection driven by its own thread and libev
// loop. Public calls post tasks to that thread; everything QUIC happens there.
#include "qsip/client.hpp"

#include <ev.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "client/file_transfer.hpp"
#include "client/delivery_acknowledger.hpp"
#include "client/pending_requests.hpp"
#include "core/frame_decoder.hpp"
#include "quic/app_error.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"

namespace qsip {

class Client::Impl final : public quic::ConnectionHandler, public client::RawStreamHost {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)), loop_(ev_loop_new(EVFLAG_AUTO)) {
    if (!loop_) throw ClientError("cannot create an event loop");
    endpoint_ = std::make_unique<quic::ClientEndpoint>(loop_, *this);
    ev_async_init(&wake_, &Impl::on_wake);
    wake_.data = this;
    ev_async_start(loop_, &wake_);
    ev_timer_init(&tick_, &Impl::on_tick, 0.02, 0.02);
    tick_.data = this;
    ev_timer_start(loop_, &tick_);
    ev_timer_init(&reconnect_timer_, &Impl::on_reconnect_timer, 0, 0);
    reconnect_timer_.data = this;
    thread_ = std::thread([this] { ev_run(loop_, 0); });
  }

  ~Impl() override {
    close_and_wait();
    post([this] { ev_break(loop_, EVBREAK_ALL); });
    thread_.join();
    endpoint_.reset();  // drops what is left without sending anything
    ev_loop_destroy(loop_);
  }

  void connect() {
    auto done = std::make_shared<std::promise<void>>();
    auto result = done->get_future();
    post([this, done] {
      closing_ = false;
      connect_waiter_ = done;
      start_connection();
    });
    if (result.wait_for(options_.connect_timeout) != std::future_status::ready) {
      post([this] {
        connect_waiter_.reset();
        if (conn_) conn_->close(0);
      });
      throw ClientError("connect: no handshake within " + std::to_string(options_.connect_timeout.count()) + " ms");
    }
    try {
      result.get();
    } catch (const std::exception& e) {
      throw ClientError(e.what());
    }
  }

  std::future<Message> request(std::string json) {
    auto parsed = Message::parse(json);
    if (!parsed || parsed->message_id().empty()) throw std::invalid_argument("request: not a QSIP message with a message_id");
    // The promise is made here so that a caller on any thread (the
    // on_message callback included) never waits for the loop thread.
    auto promise = std::make_shared<std::promise<Message>>();
    auto answer = promise->get_future();
    std::string id(parsed->message_id()), type(parsed->type());
    auto deadline = client::PendingRequests::Clock::now() + options_.request_timeout;
    post([this, promise, id, type, deadline, json = std::move(json)]() mutable {
      pending_.add(id, type, deadline, std::move(*promise));
      if (type == "REGISTER") {
        last_register_ = json;
        acknowledger_.set_identity_from_register(json);
      }
      write_frame(json);
    });
    return answer;
  }

  void send(std::string json) {
    post([this, json = std::move(json)] { write_frame(json); });
  }

  void send_stream_bytes(std::string bytes) {
    post([this, bytes = std::move(bytes)] {
      if (conn_ && primary_ >= 0)
        conn_->send(primary_, std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    });
  }

  void on_message(std::function<void(const Message&)> callback) {
    std::lock_guard lock(mutex_);
    message_callback_ = std::move(callback);
  }

  std::optional<Message> receive(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!received_cv_.wait_for(lock, timeout, [&] { return !received_.empty(); })) return std::nullopt;
    Message m = std::move(received_.front());
    received_.pop_front();
    return m;
  }

  bool send_datagram(std::span<const std::uint8_t> datagram) {
    if (!info().connected) return false;
    post([this, bytes = std::vector<std::uint8_t>(datagram.begin(), datagram.end())] {
      if (conn_ && established_) conn_->send_datagram(bytes);
    });
    return true;
  }

  void on_datagram(std::function<void(std::span<const std::uint8_t>)> callback) {
    std::lock_guard lock(mutex_);
    datagram_callback_ = std::move(callback);
  }

  ConnectionInfo info() const {
    std::lock_guard lock(mutex_);
    return info_;
  }

  bool rebind() {
    auto result = std::make_shared<std::promise<bool>>();
    auto done = result->get_future();
    post([this, result] { result->set_value(conn_ && established_ && conn_->migrate() == 0); });
    return done.get();
  }

  void close_and_wait() {
    auto closed = std::make_shared<std::promise<void>>();
    auto done = closed->get_future();
    post([this, closed] {
      closing_ = true;
      ev_timer_stop(loop_, &reconnect_timer_);
      if (!conn_) return closed->set_value();
      close_waiter_ = closed;
      // What is written (acknowledgements included) is sent first: the tick
      // closes once the peer has acknowledged it all, or after a second.
      drain_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      draining_ = true;
      finish_drain();
    });
    done.wait_for(std::chrono::milliseconds(1500));
  }

  void finish_drain() {
    if (!draining_) return;
    if (conn_ && conn_->queued_bytes() > 0 && std::chrono::steady_clock::now() < drain_deadline_) return;
    draining_ = false;
    if (conn_) conn_->close(0);
  }

  // ---- quic::ConnectionHandler (loop thread) ----------------------------
  void on_established(quic::Connection& conn, const quic::HandshakeInfo& hs) override {
    established_ = true;
    backoff_ = options_.reconnect_initial;
    {
      std::lock_guard lock(mutex_);
      info_.connected = true;
      info_.handshake_duration = hs.duration;
      info_.resumed = hs.resumed;
      info_.early_data_accepted = hs.early_data_accepted;
      ++info_.connects;
    }
    if (primary_ < 0) open_primary(conn);
    flush_backlog();
    if (connect_waiter_) {
      connect_waiter_->set_value();
      connect_waiter_.reset();
    }
  }

  void on_stream_data(quic::Connection&, int64_t stream_id, std::span<const uint8_t> data, bool fin, bool) override {
    if (raw_streams_.deliver(stream_id, data, fin)) return;  // a file transfer's stream
    struct Sink : core::FrameDecoder::Sink {
      Impl* self;
      void on_frame(core::FrameDecoder::Event event, std::string_view body, std::string_view, std::uint64_t) override {
        if (event != core::FrameDecoder::Event::kFrame) return;
        if (auto m = Message::parse(std::string(body))) self->deliver(std::move(*m));
      }
    } sink;
    sink.self = this;
    decoders_[stream_id].feed(data, sink);
  }

  void on_datagram(quic::Connection&, std::span<const uint8_t> data, bool) override {
    std::function<void(std::span<const std::uint8_t>)> callback;
    {
      std::lock_guard lock(mutex_);
      callback = datagram_callback_;
    }
    if (callback) callback(data);
  }

  void on_stream_reset(quic::Connection&, int64_t stream_id, uint64_t) override { raw_streams_.reset(stream_id); }

  void on_session_ticket(quic::Connection&, std::span<const uint8_t> ticket) override {
    ticket_.assign(ticket.begin(), ticket.end());
  }

  void on_closed(quic::Connection&, const quic::CloseInfo& close) override {
    bool was_established = established_;
    conn_ = nullptr;
    primary_ = -1;
    established_ = false;
    decoders_.clear();
    {
      std::lock_guard lock(mutex_);
      info_.connected = false;
      info_.last_close_code = close.error_code;
      info_.last_close_was_application = close.application_error;
      info_.last_close_by_peer = close.kind == quic::CloseKind::kPeer;
    }
    pending_.fail_all(5002, "ServiceUnavailable", "connection lost");
    raw_streams_.connection_lost();
    if (connect_waiter_) {
      connect_waiter_->set_exception(std::make_exception_ptr(ClientError(
          "connect: handshake failed (QUIC error " + std::to_string(close.error_code) + ")")));
      connect_waiter_.reset();
    }
    if (close_waiter_) {
      close_waiter_->set_value();
      close_waiter_.reset();
    }
    if (!closing_ && options_.reconnect && (was_established || info().connects > 0)) schedule_reconnect();
  }

  // ---- client::RawStreamHost (file_transfer.hpp) ---------------------------
  void run_on_loop(std::function<void()> task) override { post(std::move(task)); }
  std::chrono::milliseconds request_timeout() const override { return options_.request_timeout; }
  std::int64_t open_raw_stream(std::shared_ptr<client::RawStreamUser> user) override {
    std::int64_t id = conn_ && established_ ? conn_->open_bidi_stream() : -1;
    if (id >= 0) raw_streams_.add(id, std::move(user));
    return id < 0 ? -1 : id;
  }
  bool write_raw(std::int64_t stream_id, std::span<const std::uint8_t> bytes, bool fin) override {
    quic::SendOptions options;
    options.fin = fin;
    return conn_ && conn_->send(stream_id, bytes, options) == quic::SendResult::kQueued;
  }
  void close_raw_stream(std::int64_t stream_id, bool reset) override {
    if (reset && conn_) conn_->reset_stream(stream_id, quic::kAppErrorStreamCancelled);
    raw_streams_.remove(stream_id);
  }
  std::size_t queued_bytes() const override { return conn_ ? conn_->queued_bytes() : 0; }

 private:
  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ev_async_send(loop_, &wake_);
  }

  static void on_wake(struct ev_loop*, ev_async* w, int) {
    auto* self = static_cast<Impl*>(w->data);
    std::deque<std::function<void()>> tasks;
    {
      std::lock_guard lock(self->mutex_);
      tasks.swap(self->tasks_);
    }
    for (auto& t : tasks) t();
  }

  static void on_tick(struct ev_loop*, ev_timer* w, int) {
    auto* self = static_cast<Impl*>(w->data);
    self->pending_.expire(client::PendingRequests::Clock::now());
    self->finish_drain();
    self->raw_streams_.tick();
  }

  static void on_reconnect_timer(struct ev_loop*, ev_timer* w, int) {
    auto* self = static_cast<Impl*>(w->data);
    if (!self->closing_ && !self->conn_) self->start_connection();
  }

  void schedule_reconnect() {
    ev_timer_stop(loop_, &reconnect_timer_);
    ev_timer_set(&reconnect_timer_, std::chrono::duration<double>(backoff_).count(), 0);
    ev_timer_start(loop_, &reconnect_timer_);
    backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
    // On the next handshake, who we are is said again.
    if (!last_register_.empty()) backlog_.push_front(last_register_);
  }

  void start_connection() {
    quic::ClientConfig config;
    config.host = options_.host;
    config.port = options_.port;
    config.tls.server_name = options_.server_name;
    if (options_.insecure) {
      config.tls.check = quic::CertificateCheck::kInsecure;
    } else if (!options_.pin_sha256.empty()) {
      config.tls.check = quic::CertificateCheck::kPin;
      config.tls.pin_sha256 = options_.pin_sha256;
    } else {
      config.tls.check = quic::CertificateCheck::kCaFile;
      config.tls.ca_file = options_.ca_file;
    }
    config.limits.keepalive = options_.keepalive;
    config.session_ticket = ticket_;
    try {
      conn_ = &endpoint_->connect(config);
    } catch (const std::exception& e) {
      if (connect_waiter_) {
        connect_waiter_->set_exception(std::make_exception_ptr(ClientError(std::string("connect: ") + e.what())));
        connect_waiter_.reset();
      } else if (!closing_ && options_.reconnect) {
        schedule_reconnect();
      }
      return;
    }
    // With a ticket the primary stream opens at once and what is queued goes as 0-RTT.
    open_primary(*conn_);
    flush_backlog();
  }

  void open_primary(quic::Connection& conn) {
    if (primary_ >= 0) return;
    int64_t id = conn.open_bidi_stream();
    if (id >= 0) primary_ = id;
  }

  void write_frame(const std::string& json) {
    std::string frame = core::encode_frame(json);
    if (conn_ && primary_ >= 0) {
      conn_->send(primary_, std::span(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
    } else {
      backlog_.push_back(json);
    }
  }

  void flush_backlog() {
    if (!conn_ || primary_ < 0) return;
    auto backlog = std::move(backlog_);
    backlog_.clear();
    for (const auto& json : backlog) write_frame(json);
  }

  void deliver(Message message) {
    // Answers come from the server (wire profile 4); a receipt another user
    // sends about one of our messages names the same target_message_id and
    // must not be taken for the answer to a resend of that message.
    if (message.type() == "RECEIPT" && message.payload_string("status") == "registered")
      if (auto id = message.payload_string("server_id")) server_id_ = std::string(*id);
    if ((server_id_.empty() || message.from_user_id() == server_id_) && pending_.resolve(message)) return;
    if (client::DeliveryAcknowledger::is_durable(message)) {
      // Acknowledged even when seen before: the server resends what it has
      // no acknowledgement for (docs/messaging.md).
      if (options_.acknowledge_messages)
        if (auto receipt = acknowledger_.receipt_for(message)) write_frame(*receipt);
      if (!acknowledger_.first_time(message)) return;
    }
    std::function<void(const Message&)> callback;
    {
      std::lock_guard lock(mutex_);
      callback = message_callback_;
      if (!callback) {
        received_.push_back(std::move(message));
        received_cv_.notify_one();
        return;
      }
    }
    callback(message);
  }

  ClientOptions options_;
  struct ev_loop* loop_;
  std::unique_ptr<quic::ClientEndpoint> endpoint_;
  ev_async wake_{};
  ev_timer tick_{};
  ev_timer reconnect_timer_{};
  std::thread thread_;

  // Loop thread only.
  quic::Connection* conn_ = nullptr;
  int64_t primary_ = -1;
  bool established_ = false;
  bool closing_ = false;
  bool draining_ = false;  // close() waits for what is queued to be acknowledged
  std::chrono::steady_clock::time_point drain_deadline_;
  std::chrono::milliseconds backoff_{250};
  std::map<int64_t, core::FrameDecoder> decoders_;
  client::RawStreamTable raw_streams_;
  std::vector<uint8_t> ticket_;
  client::PendingRequests pending_;
  std::deque<std::string> backlog_;
  std::string last_register_;
  client::DeliveryAcknowledger acknowledger_;
  std::string server_id_;  // from the REGISTER receipt: who answers requests
  std::shared_ptr<std::promise<void>> connect_waiter_;
  std::shared_ptr<std::promise<void>> close_waiter_;

  // Shared, under mutex_.
  mutable std::mutex mutex_;
  std::deque<std::function<void()>> tasks_;
  std::function<void(const Message&)> message_callback_;
  std::function<void(std::span<const std::uint8_t>)> datagram_callback_;
  std::deque<Message> received_;
  std::condition_variable received_cv_;
  ConnectionInfo info_;
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;
void Client::connect() { impl_->connect(); }
std::future<Message> Client::request(std::string envelope_json) { return impl_->request(std::move(envelope_json)); }
void Client::send(std::string envelope_json) { impl_->send(std::move(envelope_json)); }
void Client::send_stream_bytes(std::string bytes) { impl_->send_stream_bytes(std::move(bytes)); }
void Client::on_message(std::function<void(const Message&)> callback) { impl_->on_message(std::move(callback)); }
std::optional<Message> Client::receive(std::chrono::milliseconds timeout) { return impl_->receive(timeout); }
bool Client::send_datagram(std::span<const std::uint8_t> datagram) { return impl_->send_datagram(datagram); }
void Client::on_datagram(std::function<void(std::span<const std::uint8_t>)> callback) {
  impl_->on_datagram(std::move(callback));
}
ConnectionInfo Client::info() const { return impl_->info(); }
bool Client::rebind() { return impl_->rebind(); }
void Client::close() { impl_->close_and_wait(); }
client::RawStreamHost& Client::stream_host() { return *impl_; }

}  // namespace qsip
