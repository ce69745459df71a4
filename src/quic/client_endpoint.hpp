// The client role: any number of QUIC client connections on one libev loop
// (each with its own UDP socket, so a load generator can hold tens of
// thousands from one process, fd limit permitting). The application runs
// the loop; every call and every handler event happens on its thread.
//
//   struct ev_loop* loop = ev_loop_new(0);
//   MyHandler handler;                            // a ConnectionHandler
//   qsip::quic::ClientEndpoint endpoint(loop, handler);
//   qsip::quic::ClientConfig cfg;
//   cfg.host = "127.0.0.1"; cfg.port = 4433;
//   cfg.tls.check = qsip::quic::CertificateCheck::kPin; cfg.tls.pin_sha256 = pin;
//   qsip::quic::Connection& c = endpoint.connect(cfg);
//   ev_run(loop, 0);   // on_established, then open_bidi_stream()/send()
#pragma once

#include <ev.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "quic/connection_host.hpp"
#include "quic/connection_limits.hpp"
#include "quic/connection_scheduler.hpp"
#include "quic/endpoint_stats.hpp"
#include "quic/tls_client_credentials.hpp"
#include "quic/udp_socket.hpp"

namespace qsip::quic {

struct ClientConfig {
  std::string host;  // name or numeric address
  uint16_t port = 4433;
  ClientTlsOptions tls;  // tls.server_name defaults to host
  ConnectionLimits limits = default_limits();
  // A blob from ConnectionHandler::on_session_ticket: resume, and send data
  // queued before the handshake completes as 0-RTT. Empty = full handshake.
  std::vector<uint8_t> session_ticket;
  void* user_data = nullptr;  // initial Connection::user_data()

  static ConnectionLimits default_limits() {
    ConnectionLimits l;
    l.keepalive = std::chrono::milliseconds(15'000);
    return l;
  }
};

class ClientEndpoint final : public ConnectionHost {
 public:
  // `loop` must outlive the endpoint; the handler gets every event.
  ClientEndpoint(struct ev_loop* loop, ConnectionHandler& handler);
  // Drops every connection silently (no CONNECTION_CLOSE, no on_closed).
  ~ClientEndpoint() override;
  ClientEndpoint(const ClientEndpoint&) = delete;
  ClientEndpoint& operator=(const ClientEndpoint&) = delete;

  // Starts connecting; the handshake proceeds as the loop runs. The
  // connection belongs to the endpoint and stays valid until on_closed
  // returns. Throws std::runtime_error when the host does not resolve, a
  // socket cannot be opened (EMFILE ...), the CA file does not load, or
  // ngtcp2/GnuTLS refuse the setup.
  Connection& connect(const ClientConfig& config);

  size_t connection_count() const { return connections_.size(); }
  EndpointStats& stats() override { return stats_; }

  // ---- ConnectionHost -----------------------------------------------------
  struct ev_loop* loop() override { return loop_; }
  void schedule(Connection& conn) override { scheduler_.add(conn); }
  uint8_t* tx_buffer(size_t& capacity) override;
  bool issue_cid(Connection& conn, ngtcp2_cid& cid, uint8_t* reset_token,
                 size_t cidlen) override;
  void retire_cid(const ngtcp2_cid&) override {}
  ConnectionHandler& handler() override { return handler_; }
  int migrate(Connection& conn) override;

 private:
  struct Socket {
    std::unique_ptr<UdpSocket> udp;
    ev_io watcher{};
    ClientEndpoint* endpoint = nullptr;
    Connection* conn = nullptr;
  };
  struct Entry {
    std::unique_ptr<Connection> conn;
    std::vector<std::unique_ptr<Socket>> sockets;  // last = current path
  };

  static void on_readable(struct ev_loop* loop, ev_io* w, int revents);
  Socket& add_socket(Entry& entry, std::unique_ptr<UdpSocket> udp);
  void destroy(Connection& conn);
  TlsClientCredentials& credentials(const std::string& ca_file);

  struct ev_loop* loop_;
  ConnectionHandler& handler_;
  EndpointStats stats_;
  ReceiveBatch rx_;
  std::unique_ptr<uint8_t[]> tx_;
  std::map<std::string, std::unique_ptr<TlsClientCredentials>> credentials_;
  std::unordered_map<Connection*, Entry> connections_;
  uint64_t next_id_ = 1;
  ConnectionScheduler scheduler_;
};

}  // namespace qsip::quic
