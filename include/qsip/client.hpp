// libqsip: a QSIP client over QUIC.
//
//   qsip::ClientOptions options;
//   options.host = "127.0.0.1";
//   options.insecure = true;                      // or ca_file / pin_sha256
//   qsip::Client client(options);
//   client.connect();                             // throws qsip::ClientError
//   qsip::Message answer = client.request(register_json).get();
//
// Every public call is thread-safe. Incoming messages that answer no request
// go to the on_message callback (called on the client's own thread; keep it
// short) or, when no callback is set, to a queue read with receive().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "qsip/file_transfer.hpp"
#include "qsip/message.hpp"

namespace qsip {

namespace client {
class RawStreamHost;
}

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4433;
  // How the server's certificate is checked: a CA bundle, or a pin (hex
  // SHA-256 of its DER certificate), or nothing at all (development only).
  std::string ca_file;
  std::string pin_sha256;
  bool insecure = false;
  std::string server_name;  // SNI and verified name; default: host
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{10'000};  // then the answer is ERROR 4081
  std::chrono::milliseconds keepalive{15'000};        // PING when idle, under the server's 60 s
  // Reconnect after a lost connection, with exponential backoff, resuming
  // the TLS session (0-RTT when a ticket is held), and re-sending the last
  // REGISTER that succeeded.
  bool reconnect = true;
  std::chrono::milliseconds reconnect_initial{250};
  std::chrono::milliseconds reconnect_max{30'000};
  // Acknowledge every MESSAGE, MESSAGE_ACTION and REACTION received with
  // RECEIPT delivered_to_client (the server resends what is not
  // acknowledged); repeats of an event are never handed to the application
  // twice either way (docs/messaging.md).
  bool acknowledge_messages = true;
};

// connect() failures: the reason in what().
struct ClientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ConnectionInfo {
  bool connected = false;
  std::chrono::microseconds handshake_duration{0};
  bool resumed = false;
  bool early_data_accepted = false;
  std::uint64_t connects = 0;  // successful handshakes so far (reconnects included)
  // How the last connection ended: the QUIC error code, and whether it is an
  // application code (0x1 GoingAway, 0x10 AbusivePeer ... docs/wire-format.md).
  std::uint64_t last_close_code = 0;
  bool last_close_was_application = false;
  bool last_close_by_peer = false;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();  // closes the connection and stops the client's thread
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects and waits for the handshake. Throws ClientError when the host
  // does not resolve, the handshake fails (certificate, ALPN ...) or
  // connect_timeout passes.
  void connect();

  // Sends one QSIP message (an envelope as JSON text) on the primary stream
  // and returns its answer: the RECEIPT, ERROR or same-type message whose
  // payload.target_message_id is this message's id (wire profile 4). Gets a
  // local ERROR 4081 RequestTimeout after request_timeout, or 5002
  // ServiceUnavailable when the connection is lost first. Throws
  // std::invalid_argument when `envelope_json` has no string message_id and type.
  std::future<Message> request(std::string envelope_json);
  // Sends without waiting for an answer.
  void send(std::string envelope_json);
  // Writes bytes on the primary stream as they are, without framing: for
  // diagnostics and tests of a server's handling of bad input.
  void send_stream_bytes(std::string bytes);

  // Incoming messages that answer no request.
  void on_message(std::function<void(const Message&)> callback);
  std::optional<Message> receive(std::chrono::milliseconds timeout);

  // Media datagrams (wire profile 7). send_datagram returns false when the
  // connection is down; datagrams are unreliable in any case.
  bool send_datagram(std::span<const std::uint8_t> datagram);
  void on_datagram(std::function<void(std::span<const std::uint8_t>)> callback);

  // Moves the connection to a new local UDP port, as a network change or a
  // NAT rebinding would; QUIC connection migration keeps the connection.
  // False when not connected or the server has no spare connection ID yet.
  bool rebind();

  ConnectionInfo info() const;
  // Closes without reconnecting.
  void close();

  // File transfer (docs/files.md), each on a stream of its own; the
  // connection must be registered. Both block until the transfer ends and
  // throw ClientError when the local file cannot be read (upload) or
  // written (download). upload_file sends the file at `path` (its name
  // without the directories); download_file fetches a file named by its
  // url or file_id into `out_path`, written as `out_path`.part and renamed
  // once its size and SHA-256 match the RECEIPT. Like request().get(), never
  // call them from the on_message callback (the client's own thread).
  FileTransferResult upload_file(const std::string& path, const std::string& mime_type, FileProgress progress = {});
  FileTransferResult download_file(const std::string& url_or_file_id, const std::string& out_path,
                                   FileProgress progress = {});

 private:
  client::RawStreamHost& stream_host();  // for file_transfer.cpp
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qsip
