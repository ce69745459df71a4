// Shared fixtures of the QUIC endpoint tests: a temporary certificate, an
// echoing server handler, a recording client handler and an event-driven
// wait on the client loop.
#pragma once

#include <ev.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "quic/app_error.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"
#include "quic/connection_handler.hpp"
#include "quic/self_signed_certificate.hpp"
#include "quic/server.hpp"
#include "quic/worker.hpp"

namespace qsip::quic::test {

// Server handler: echoes stream data and datagrams; records what it saw.
class EchoServerHandler : public ConnectionHandler {
 public:
  void on_established(Connection& conn, const HandshakeInfo& info) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++established;
    if (info.early_data_accepted) ++early_accepted;
    if (info.resumed) ++resumed;
    last_connection_id = conn.id();
  }
  void on_stream_data(Connection& conn, int64_t stream_id, std::span<const uint8_t> data,
                      bool fin, bool early) override {
    if (early && early_data_hook) early_data_hook(conn);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (early) early_bytes += data.size();
      received[conn.id()].insert(received[conn.id()].end(), data.begin(), data.end());
    }
    if (echo) conn.send(stream_id, data, SendOptions{fin, false});
  }
  void on_datagram(Connection& conn, std::span<const uint8_t> data, bool) override {
    conn.send_datagram(data);
  }
  void on_closed(Connection&, const CloseInfo& info) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++closed;
      closes.push_back(info);
    }
    changed.notify_all();
  }

  std::mutex mutex;
  std::condition_variable changed;  // notified after on_closed
  // Called on the worker thread when 0-RTT stream data arrives, before it
  // is recorded or echoed (set it before the server starts).
  std::function<void(Connection&)> early_data_hook;
  std::vector<CloseInfo> closes;  // every on_closed, in order
  bool echo = true;
  int established = 0;
  int early_accepted = 0;
  int resumed = 0;
  int closed = 0;
  size_t early_bytes = 0;
  uint64_t last_connection_id = 0;
  std::map<uint64_t, std::vector<uint8_t>> received;
};

// Client handler: records everything, per connection.
class RecordingClientHandler : public ConnectionHandler {
 public:
  struct Record {
    bool established = false;
    HandshakeInfo info;
    std::vector<uint8_t> stream_bytes;
    bool fin = false;
    std::vector<std::vector<uint8_t>> datagrams;
    bool closed = false;
    CloseInfo close;
  };
  void on_established(Connection& conn, const HandshakeInfo& info) override {
    auto& r = records[&conn];
    r.established = true;
    r.info = info;
    ++established;
    if (on_established_hook) on_established_hook(conn);
  }
  void on_stream_data(Connection& conn, int64_t, std::span<const uint8_t> data, bool fin,
                      bool) override {
    auto& r = records[&conn];
    r.stream_bytes.insert(r.stream_bytes.end(), data.begin(), data.end());
    if (fin) r.fin = true;
  }
  void on_datagram(Connection& conn, std::span<const uint8_t> data, bool) override {
    records[&conn].datagrams.emplace_back(data.begin(), data.end());
  }
  void on_session_ticket(Connection&, std::span<const uint8_t> ticket) override {
    last_ticket.assign(ticket.begin(), ticket.end());
  }
  void on_closed(Connection& conn, const CloseInfo& info) override {
    auto& r = records[&conn];
    r.closed = true;
    r.close = info;
    ++closed;
    closed_records.push_back(r);
    records.erase(&conn);
  }

  std::map<Connection*, Record> records;
  std::vector<Record> closed_records;
  std::vector<uint8_t> last_ticket;
  int established = 0;
  int closed = 0;
  std::function<void(Connection&)> on_established_hook;
};

class QuicTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("qsip-quic-test-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    generate_self_signed_certificate(cert(), key(), "localhost");
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  static std::string cert() { return (*dir_ / "cert.pem").string(); }
  static std::string key() { return (*dir_ / "key.pem").string(); }

  void SetUp() override {
    loop_ = ev_loop_new(EVFLAG_AUTO);
    ev_timer_init(&tick_, [](struct ev_loop*, ev_timer*, int) {}, 0.005, 0.005);
    ev_timer_start(loop_, &tick_);
    client_ = std::make_unique<ClientEndpoint>(loop_, client_handler_);
  }
  void TearDown() override {
    client_.reset();
    if (server_) server_->stop(std::chrono::seconds(5));
    server_.reset();
    ev_timer_stop(loop_, &tick_);
    ev_loop_destroy(loop_);
  }

  ServerConfig server_config() {
    ServerConfig c;
    c.listen = {"127.0.0.1:0"};
    c.cert_file = cert();
    c.key_file = key();
    c.workers = 2;
    c.retry = RetryPolicy::kOff;
    return c;
  }
  void start_server(const ServerConfig& c) {
    server_ = std::make_unique<Server>(c, server_handler_);
    server_->start();
    port_ = server_->local_addresses().at(0).port();
  }
  ClientConfig client_config() {
    ClientConfig c;
    c.host = "127.0.0.1";
    c.port = port_;
    c.tls.check = CertificateCheck::kCaFile;
    c.tls.ca_file = cert();
    return c;
  }
  // Runs the client loop until `done` or the timeout; returns done().
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ev_run(loop_, EVRUN_ONCE);
    }
    return true;
  }
  template <typename T>
  T server_read(const std::function<T()>& f) {
    std::lock_guard<std::mutex> lock(server_handler_.mutex);
    return f();
  }
  // Waits (without running the client loop) until `done` holds on the
  // server handler's state, read under its mutex; returns done().
  bool wait_server(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(server_handler_.mutex);
    return server_handler_.changed.wait_for(lock, timeout, done);
  }
  static std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

  static std::filesystem::path* dir_;
  struct ev_loop* loop_ = nullptr;
  ev_timer tick_{};
  EchoServerHandler server_handler_;
  RecordingClientHandler client_handler_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<ClientEndpoint> client_;
  uint16_t port_ = 0;
};

inline std::filesystem::path* QuicTest::dir_ = nullptr;

}  // namespace qsip::quic::test
