// A QUIC client the test thread drives step by step, for what libqsip never
// does on purpose: a stream reset in the middle of an upload, a stream left
// unfinished, more bytes than a header declared, a header sent before
// REGISTER. Everything runs on the calling thread (run_until).
#pragma once

#include <ev.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "qsip/message.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"

namespace qsip::test {

class RawQuicClient final : public quic::ConnectionHandler {
 public:
  // Connects to 127.0.0.1:port (any certificate) and waits for the
  // handshake; throws std::runtime_error when it does not complete.
  explicit RawQuicClient(std::uint16_t port);
  ~RawQuicClient() override;
  RawQuicClient(const RawQuicClient&) = delete;
  RawQuicClient& operator=(const RawQuicClient&) = delete;

  std::int64_t open_stream();
  bool send(std::int64_t stream, std::string_view bytes, bool fin = false);
  void reset(std::int64_t stream);
  void close();
  // Runs the event loop until `done` holds or `timeout` passes; returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // The first framed message the server sent on `stream`, once complete.
  std::optional<Message> first_message(std::int64_t stream) const;
  // Waits for it.
  std::optional<Message> await_message(std::int64_t stream, std::chrono::milliseconds timeout);
  // Opens the primary stream and REGISTERs; the answer.
  std::optional<Message> register_as(const std::string& user, const std::string& device, const std::string& token);

  bool closed() const { return closed_; }
  bool finished(std::int64_t stream) const { return fins_.count(stream) > 0; }
  bool was_reset(std::int64_t stream) const { return resets_.count(stream) > 0; }

  // quic::ConnectionHandler
  void on_established(quic::Connection&, const quic::HandshakeInfo&) override { established_ = true; }
  void on_stream_data(quic::Connection&, int64_t stream_id, std::span<const uint8_t> data, bool fin, bool) override;
  void on_stream_reset(quic::Connection&, int64_t stream_id, uint64_t) override { resets_[stream_id] = true; }
  void on_closed(quic::Connection&, const quic::CloseInfo&) override {
    closed_ = true;
    conn_ = nullptr;
  }

 private:
  struct ev_loop* loop_;
  std::unique_ptr<quic::ClientEndpoint> endpoint_;
  quic::Connection* conn_ = nullptr;
  bool established_ = false;
  bool closed_ = false;
  std::map<std::int64_t, std::string> received_;
  std::map<std::int64_t, bool> fins_;
  std::map<std::int64_t, bool> resets_;
};

}  // namespace qsip::test
