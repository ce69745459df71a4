// ClientEndpoint: sockets, connection table and migration for the client role.
#include "quic/client_endpoint.hpp"

#include <ngtcp2/ngtcp2.h>

#include <stdexcept>

#include "quic/connection.hpp"
#include "quic/random_bytes.hpp"

namespace qsip::quic {
namespace {
constexpr size_t kTxCapacity = 16 * NGTCP2_MAX_UDP_PAYLOAD_SIZE;
}

ClientEndpoint::ClientEndpoint(struct ev_loop* loop, ConnectionHandler& handler)
    : loop_(loop),
      handler_(handler),
      tx_(new uint8_t[kTxCapacity]),
      scheduler_(loop, [this](Connection& c) { destroy(c); }) {}

ClientEndpoint::~ClientEndpoint() {
  for (auto& [conn, entry] : connections_) {
    for (auto& s : entry.sockets) ev_io_stop(loop_, &s->watcher);
  }
  connections_.clear();
}

uint8_t* ClientEndpoint::tx_buffer(size_t& capacity) {
  capacity = kTxCapacity;
  return tx_.get();
}

bool ClientEndpoint::issue_cid(Connection&, ngtcp2_cid& cid, uint8_t* reset_token,
                               size_t cidlen) {
  // Clients route by socket, not CID; the token is never checked by us.
  cid.datalen = cidlen;
  random_bytes(cid.data, cidlen);
  random_bytes(reset_token, NGTCP2_STATELESS_RESET_TOKENLEN);
  return true;
}

TlsClientCredentials& ClientEndpoint::credentials(const std::string& ca_file) {
  auto& slot = credentials_[ca_file];
  if (!slot) slot = std::make_unique<TlsClientCredentials>(ca_file);
  return *slot;
}

ClientEndpoint::Socket& ClientEndpoint::add_socket(Entry& entry, std::unique_ptr<UdpSocket> udp) {
  auto s = std::make_unique<Socket>();
  s->udp = std::move(udp);
  s->endpoint = this;
  s->conn = entry.conn.get();
  ev_io_init(&s->watcher, &ClientEndpoint::on_readable, s->udp->fd(), EV_READ);
  s->watcher.data = s.get();
  ev_io_start(loop_, &s->watcher);
  entry.sockets.push_back(std::move(s));
  return *entry.sockets.back();
}

Connection& ClientEndpoint::connect(const ClientConfig& config) {
  auto remote = resolve_socket_address(config.host, config.port);
  if (!remote) throw std::runtime_error("QUIC client: cannot resolve " + config.host);
  ClientTlsOptions tls = config.tls;
  if (tls.server_name.empty()) tls.server_name = config.host;
  TlsClientCredentials& creds =
      credentials(tls.check == CertificateCheck::kCaFile ? tls.ca_file : std::string());
  auto udp = UdpSocket::bind_ephemeral_for(*remote);
  Connection::ClientSetup setup;
  setup.tls = &tls;
  setup.credentials = &creds;
  setup.session_ticket = config.session_ticket;
  auto conn = Connection::new_client(*this, next_id_++, config.limits, setup, *udp, *remote);
  if (!conn) throw std::runtime_error("QUIC client: connection setup failed");
  conn->set_user_data(config.user_data);
  Connection* raw = conn.get();
  Entry& entry = connections_[raw];
  entry.conn = std::move(conn);
  add_socket(entry, std::move(udp));
  return *raw;
}

int ClientEndpoint::migrate(Connection& conn) {
  auto it = connections_.find(&conn);
  if (it == connections_.end()) return NGTCP2_ERR_INVALID_STATE;
  std::unique_ptr<UdpSocket> udp;
  try {
    udp = UdpSocket::bind_ephemeral_for(conn.remote_address());
  } catch (const std::exception&) {
    return NGTCP2_ERR_CALLBACK_FAILURE;
  }
  const SocketAddress local = udp->local_address();
  UdpSocket& ref = *udp;
  Socket& s = add_socket(it->second, std::move(udp));
  const int rv = conn.move_to(ref, local);
  if (rv != 0) {
    ev_io_stop(loop_, &s.watcher);
    it->second.sockets.pop_back();
  }
  return rv;
}

void ClientEndpoint::on_readable(struct ev_loop*, ev_io* w, int) {
  auto* s = static_cast<Socket*>(w->data);
  ClientEndpoint& self = *s->endpoint;
  for (int round = 0; round < 4; ++round) {
    const size_t n = s->udp->receive(self.rx_);
    for (size_t i = 0; i < n; ++i) {
      auto& p = self.rx_.packets[i];
      self.stats_.add(self.stats_.packets_in);
      self.stats_.add(self.stats_.bytes_in, p.len);
      s->conn->on_packet(*s->udp, s->udp->local_address(), p.remote, p.data, p.len);
    }
    if (n < ReceiveBatch::kMaxPackets) break;
  }
}

void ClientEndpoint::destroy(Connection& conn) {
  auto it = connections_.find(&conn);
  if (it == connections_.end()) return;
  for (auto& s : it->second.sockets) ev_io_stop(loop_, &s->watcher);
  connections_.erase(it);
}

}  // namespace qsip::quic
