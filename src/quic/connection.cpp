// Connection: the glue between ngtcp2 (QUIC state machine), GnuTLS (the
// handshake), the UDP socket and the application handler.
#include "quic/connection.hpp"

#include "quic/tls_priority.hpp"

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "quic/app_error.hpp"
#include "quic/clock.hpp"
#include "quic/coalesced_packets.hpp"
#include "quic/connection_host.hpp"
#include "quic/connection_id.hpp"
#include "quic/endpoint_stats.hpp"
#include "quic/random_bytes.hpp"
#include "quic/session_ticket.hpp"
#include "quic/tls_client_credentials.hpp"
#include "quic/tls_server_context.hpp"
#include "quic/udp_socket.hpp"

namespace qsip::quic {
namespace {

constexpr const char* kClientPriority =
    "%DISABLE_TLS13_COMPAT_MODE:NORMAL:-VERS-ALL:+VERS-TLS1.3:"
    "-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1";

// How many stream chunks one writev_stream call may gather.
constexpr size_t kMaxVecs = 16;

Connection* from_session(gnutls_session_t session) {
  auto* ref = static_cast<ngtcp2_crypto_conn_ref*>(gnutls_session_get_ptr(session));
  return ref ? static_cast<Connection*>(ref->user_data) : nullptr;
}

ngtcp2_path make_path(const SocketAddress& local, const SocketAddress& remote, UdpSocket& sock) {
  ngtcp2_path path{};
  path.local.addr = const_cast<sockaddr*>(local.sa());
  path.local.addrlen = local.len;
  path.remote.addr = const_cast<sockaddr*>(remote.sa());
  path.remote.addrlen = remote.len;
  path.user_data = &sock;
  return path;
}

void fill_transport_params(ngtcp2_transport_params& params, const ConnectionLimits& limits) {
  ngtcp2_transport_params_default(&params);
  params.initial_max_stream_data_bidi_local = limits.stream_window;
  params.initial_max_stream_data_bidi_remote = limits.stream_window;
  params.initial_max_stream_data_uni = 0;
  params.initial_max_data = limits.connection_window;
  params.initial_max_streams_bidi = limits.max_streams_bidi;
  params.initial_max_streams_uni = 0;
  params.max_idle_timeout =
      static_cast<ngtcp2_duration>(limits.idle_timeout.count()) * NGTCP2_MILLISECONDS;
  params.active_connection_id_limit = 4;
  params.max_datagram_frame_size = limits.max_datagram_frame_size;
}

void fill_settings(ngtcp2_settings& settings, const ConnectionLimits& limits) {
  ngtcp2_settings_default(&settings);
  settings.initial_ts = monotonic_ns();
  settings.handshake_timeout =
      static_cast<ngtcp2_duration>(limits.handshake_timeout.count()) * NGTCP2_MILLISECONDS;
  settings.max_stream_window = std::max<uint64_t>(limits.stream_window, 6 * 1024 * 1024);
  settings.max_window = std::max<uint64_t>(limits.connection_window, 15 * 1024 * 1024);
}

}  // namespace

// Pinned or insecure certificate checks (kCaFile uses GnuTLS's own).
int client_verify_callback(gnutls_session_t session) {
  Connection* c = from_session(session);
  if (c == nullptr) return -1;
  if (c->verify_insecure_) return 0;
  return peer_certificate_matches_pin(session, c->pin_sha256_) ? 0 : -1;
}

// The ngtcp2 and GnuTLS callbacks, as trampolines into Connection.
struct ConnectionCallbacks {
  static Connection* self(void* user_data) { return static_cast<Connection*>(user_data); }

  static void rand(uint8_t* dest, size_t len, const ngtcp2_rand_ctx*) {
    gnutls_rnd(GNUTLS_RND_NONCE, dest, len);
  }
  static int get_new_connection_id(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t cidlen,
                                   void* user_data) {
    auto* c = self(user_data);
    return c->host_.issue_cid(*c, *cid, token, cidlen) ? 0 : NGTCP2_ERR_CALLBACK_FAILURE;
  }
  static int remove_connection_id(ngtcp2_conn*, const ngtcp2_cid* cid, void* user_data) {
    auto* c = self(user_data);
    c->host_.retire_cid(*cid);
    c->remove_routed_cid(*cid);
    return 0;
  }
  static int recv_crypto_data(ngtcp2_conn* conn, ngtcp2_crypto_level level, uint64_t offset,
                              const uint8_t* data, size_t len, void* user_data) {
    // A server frees its TLS session once the handshake is done (see
    // release_tls_session); a client has nothing more to say in TLS then
    // (QUIC forbids KeyUpdate), so CRYPTO data after that is refused.
    if (self(user_data)->tls_ == nullptr) return NGTCP2_ERR_CALLBACK_FAILURE;
    return ngtcp2_crypto_recv_crypto_data_cb(conn, level, offset, data, len, user_data);
  }
  static int handshake_completed(ngtcp2_conn*, void* user_data) {
    return self(user_data)->on_handshake_completed() == 0 ? 0 : NGTCP2_ERR_CALLBACK_FAILURE;
  }
  static int recv_stream_data(ngtcp2_conn*, uint32_t flags, int64_t stream_id, uint64_t,
                              const uint8_t* data, size_t len, void* user_data, void*) {
    return self(user_data)->on_stream_data(flags, stream_id, data, len);
  }
  static int acked_stream_data_offset(ngtcp2_conn*, int64_t stream_id, uint64_t offset,
                                      uint64_t len, void* user_data, void*) {
    return self(user_data)->on_acked(stream_id, offset, len);
  }
  static int stream_open(ngtcp2_conn*, int64_t stream_id, void* user_data) {
    auto* c = self(user_data);
    c->streams_.try_emplace(stream_id);
    c->handler().on_stream_opened(*c, stream_id);
    return 0;
  }
  static int stream_close(ngtcp2_conn*, uint32_t flags, int64_t stream_id, uint64_t code,
                          void* user_data, void*) {
    self(user_data)->on_stream_closed(flags, stream_id, code);
    return 0;
  }
  static int stream_reset(ngtcp2_conn*, int64_t stream_id, uint64_t, uint64_t code,
                          void* user_data, void*) {
    auto* c = self(user_data);
    c->handler().on_stream_reset(*c, stream_id, code);
    return 0;
  }
  static int stream_stop_sending(ngtcp2_conn* conn, int64_t stream_id, uint64_t code, void*,
                                 void*) {
    // The peer will not read: stop sending too (RESET_STREAM).
    ngtcp2_conn_shutdown_stream_write(conn, stream_id, code);
    return 0;
  }
  static int extend_max_stream_data(ngtcp2_conn*, int64_t stream_id, uint64_t, void* user_data,
                                    void*) {
    auto* c = self(user_data);
    auto it = c->streams_.find(stream_id);
    if (it != c->streams_.end()) it->second.blocked = false;
    c->schedule();
    return 0;
  }
  static int recv_datagram(ngtcp2_conn*, uint32_t flags, const uint8_t* data, size_t len,
                           void* user_data) {
    self(user_data)->on_datagram(flags, data, len);
    return 0;
  }
  static int recv_stateless_reset(ngtcp2_conn*, const ngtcp2_pkt_stateless_reset*,
                                  void* user_data) {
    auto* c = self(user_data);
    c->stateless_reset_received_ = true;
    c->host_.stats().add(c->host_.stats().stateless_resets_received);
    return 0;
  }
  static int early_data_rejected(ngtcp2_conn*, void* user_data) {
    self(user_data)->on_early_data_rejected();
    return 0;
  }
  static int path_validation(ngtcp2_conn*, uint32_t, const ngtcp2_path*,
                             ngtcp2_path_validation_result, void*) {
    return 0;
  }
  static int session_ticket_hook(gnutls_session_t session, unsigned htype, unsigned when,
                                 unsigned incoming, const gnutls_datum_t*) {
    if (htype == GNUTLS_HANDSHAKE_NEW_SESSION_TICKET && when == GNUTLS_HOOK_POST && incoming) {
      if (Connection* c = from_session(session)) c->on_new_session_ticket();
    }
    return 0;
  }
};

ngtcp2_callbacks Connection::callbacks(bool server) {
  ngtcp2_callbacks cb{};
  using CB = ConnectionCallbacks;
  if (server) {
    cb.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb;
  } else {
    cb.client_initial = ngtcp2_crypto_client_initial_cb;
    cb.recv_retry = ngtcp2_crypto_recv_retry_cb;
    cb.recv_stateless_reset = CB::recv_stateless_reset;
    cb.early_data_rejected = CB::early_data_rejected;
  }
  cb.recv_crypto_data = CB::recv_crypto_data;
  cb.handshake_completed = CB::handshake_completed;
  cb.encrypt = ngtcp2_crypto_encrypt_cb;
  cb.decrypt = ngtcp2_crypto_decrypt_cb;
  cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
  cb.recv_stream_data = CB::recv_stream_data;
  cb.acked_stream_data_offset = CB::acked_stream_data_offset;
  cb.stream_open = CB::stream_open;
  cb.stream_close = CB::stream_close;
  cb.rand = CB::rand;
  cb.get_new_connection_id = CB::get_new_connection_id;
  cb.remove_connection_id = CB::remove_connection_id;
  cb.update_key = ngtcp2_crypto_update_key_cb;
  cb.path_validation = CB::path_validation;
  cb.stream_reset = CB::stream_reset;
  cb.extend_max_stream_data = CB::extend_max_stream_data;
  cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
  cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
  cb.recv_datagram = CB::recv_datagram;
  cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
  cb.stream_stop_sending = CB::stream_stop_sending;
  cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
  return cb;
}

ngtcp2_conn* Connection::get_conn(ngtcp2_crypto_conn_ref* ref) {
  return static_cast<Connection*>(ref->user_data)->conn_;
}

Connection::Connection(ConnectionHost& host, uint64_t id, const ConnectionLimits& limits,
                       bool server)
    : host_(host), id_(id), limits_(limits), server_(server) {
  conn_ref_.get_conn = &Connection::get_conn;
  conn_ref_.user_data = this;
  ev_timer_init(&timer_, &Connection::on_timer, 0., 0.);
  timer_.data = this;
  created_ns_ = monotonic_ns();
}

std::unique_ptr<Connection> Connection::new_server(ConnectionHost& host, uint64_t id,
                                                   const ConnectionLimits& limits,
                                                   const ServerSetup& setup, UdpSocket& socket,
                                                   const SocketAddress& local,
                                                   const SocketAddress& remote) {
  std::unique_ptr<Connection> c(new Connection(host, id, limits, true));
  c->socket_ = &socket;
  const ngtcp2_path path = make_path(local, remote, socket);
  ngtcp2_settings settings;
  fill_settings(settings, limits);
  settings.token = setup.hd->token;
  ngtcp2_transport_params params;
  fill_transport_params(params, limits);
  params.stateless_reset_token_present = 1;
  std::memcpy(params.stateless_reset_token, setup.reset_token, NGTCP2_STATELESS_RESET_TOKENLEN);
  if (setup.retry_odcid != nullptr) {
    params.original_dcid = *setup.retry_odcid;
    params.retry_scid = setup.hd->dcid;
    params.retry_scid_present = 1;
  } else {
    params.original_dcid = setup.hd->dcid;
  }
  const ngtcp2_callbacks cb = callbacks(true);
  if (ngtcp2_conn_server_new(&c->conn_, &setup.hd->scid, setup.scid, &path, setup.hd->version,
                             &cb, &settings, &params, setup.mem, c.get()) != 0) {
    return nullptr;
  }
  c->tls_ = setup.tls->new_session(&c->conn_ref_, c->server_creds_);
  if (c->tls_ == nullptr) return nullptr;
  c->alpn_ = setup.tls->alpn();
  ngtcp2_conn_set_tls_native_handle(c->conn_, c->tls_);
  auto& stats = host.stats();
  stats.add(stats.connections_open);
  stats.add(stats.handshakes_in_flight);
  return c;
}

std::unique_ptr<Connection> Connection::new_client(ConnectionHost& host, uint64_t id,
                                                   const ConnectionLimits& limits,
                                                   const ClientSetup& setup, UdpSocket& socket,
                                                   const SocketAddress& remote) {
  std::unique_ptr<Connection> c(new Connection(host, id, limits, false));
  c->socket_ = &socket;
  const ngtcp2_path path = make_path(socket.local_address(), remote, socket);
  ngtcp2_cid dcid{};
  ngtcp2_cid scid{};
  dcid.datalen = 18;
  scid.datalen = kClientCidLength;
  random_bytes(dcid.data, dcid.datalen);
  random_bytes(scid.data, scid.datalen);
  ngtcp2_settings settings;
  fill_settings(settings, limits);
  ngtcp2_transport_params params;
  fill_transport_params(params, limits);
  const ngtcp2_callbacks cb = callbacks(false);
  if (ngtcp2_conn_client_new(&c->conn_, &dcid, &scid, &path, NGTCP2_PROTO_VER_V1, &cb, &settings,
                             &params, nullptr, c.get()) != 0) {
    return nullptr;
  }
  const ClientTlsOptions& tls = *setup.tls;
  c->alpn_ = tls.alpn;
  if (gnutls_init(&c->tls_, GNUTLS_CLIENT | GNUTLS_ENABLE_EARLY_DATA |
                                GNUTLS_NO_END_OF_EARLY_DATA) != 0) {
    c->tls_ = nullptr;
    return nullptr;
  }
  gnutls_datum_t alpn{reinterpret_cast<unsigned char*>(c->alpn_.data()),
                      static_cast<unsigned>(c->alpn_.size())};
  gnutls_priority_t priority = thread_priority(kClientPriority);
  if (!priority || gnutls_priority_set(c->tls_, priority) != 0 ||
      ngtcp2_crypto_gnutls_configure_client_session(c->tls_) != 0 ||
      gnutls_credentials_set(c->tls_, GNUTLS_CRD_CERTIFICATE, setup.credentials->get()) != 0 ||
      gnutls_alpn_set_protocols(c->tls_, &alpn, 1, GNUTLS_ALPN_MANDATORY) != 0) {
    return nullptr;
  }
  gnutls_handshake_set_hook_function(c->tls_, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET,
                                     GNUTLS_HOOK_POST, ConnectionCallbacks::session_ticket_hook);
  unsigned char ipbuf[16];
  const bool numeric = inet_pton(AF_INET, tls.server_name.c_str(), ipbuf) == 1 ||
                       inet_pton(AF_INET6, tls.server_name.c_str(), ipbuf) == 1;
  if (!numeric && !tls.server_name.empty()) {
    gnutls_server_name_set(c->tls_, GNUTLS_NAME_DNS, tls.server_name.data(),
                           tls.server_name.size());
  }
  switch (tls.check) {
    case CertificateCheck::kCaFile:
      // GnuTLS keeps the pointer, so the name must live as long as the session.
      c->server_name_ = tls.server_name;
      gnutls_session_set_verify_cert(c->tls_, c->server_name_.c_str(), 0);
      break;
    case CertificateCheck::kPin:
      c->pin_sha256_ = tls.pin_sha256;
      gnutls_session_set_verify_function(c->tls_, client_verify_callback);
      break;
    case CertificateCheck::kInsecure:
      c->verify_insecure_ = true;
      gnutls_session_set_verify_function(c->tls_, client_verify_callback);
      break;
  }
  if (!setup.session_ticket.empty()) {
    if (auto ticket = decode_session_ticket(setup.session_ticket)) {
      if (gnutls_session_set_data(c->tls_, ticket->tls_session.data(),
                                  ticket->tls_session.size()) == 0) {
        ngtcp2_conn_set_early_remote_transport_params(c->conn_, &ticket->params);
        c->early_data_attempted_ = true;
      }
    }
  }
  gnutls_session_set_ptr(c->tls_, &c->conn_ref_);
  ngtcp2_conn_set_tls_native_handle(c->conn_, c->tls_);
  if (limits.keepalive.count() > 0) {
    ngtcp2_conn_set_keep_alive_timeout(
        c->conn_, static_cast<ngtcp2_duration>(limits.keepalive.count()) * NGTCP2_MILLISECONDS);
  }
  auto& stats = host.stats();
  stats.add(stats.connections_open);
  stats.add(stats.handshakes_in_flight);
  c->schedule();
  return c;
}

Connection::~Connection() {
  ev_timer_stop(host_.loop(), &timer_);
  if (state_ != State::kFinished && conn_ != nullptr) {
    // Destroyed without finish() (setup failure): keep the gauges right.
    host_.stats().sub(host_.stats().connections_open);
    host_.stats().sub(host_.stats().handshakes_in_flight);
  }
  if (queued_bytes_ > 0) host_.stats().sub(host_.stats().send_queue_bytes, queued_bytes_);
  if (conn_ != nullptr) ngtcp2_conn_del(conn_);
  if (tls_ != nullptr) gnutls_deinit(tls_);
}

SocketAddress Connection::remote_address() const {
  const ngtcp2_path* p = ngtcp2_conn_get_path(conn_);
  return SocketAddress::from(p->remote.addr, p->remote.addrlen);
}

void Connection::remove_routed_cid(const ngtcp2_cid& cid) {
  auto it = std::find_if(routed_cids_.begin(), routed_cids_.end(),
                         [&](const ngtcp2_cid& c) { return ngtcp2_cid_eq(&c, &cid); });
  if (it != routed_cids_.end()) routed_cids_.erase(it);
}

// ---- Application API ----------------------------------------------------

int64_t Connection::open_bidi_stream() {
  if (state_ != State::kActive) return NGTCP2_ERR_INVALID_STATE;
  int64_t id = -1;
  const int rv = ngtcp2_conn_open_bidi_stream(conn_, &id, nullptr);
  if (rv != 0) return rv;
  streams_.try_emplace(id);
  return id;
}

SendResult Connection::send(int64_t stream_id, std::span<const uint8_t> data,
                            SendOptions options) {
  if (state_ != State::kActive) return SendResult::kClosed;
  auto it = streams_.find(stream_id);
  if (it == streams_.end() || it->second.fin_queued) return SendResult::kUnknownStream;
  auto& stats = host_.stats();
  if (options.droppable && queued_bytes_ + data.size() > limits_.send_queue_soft_limit) {
    stats.add(stats.droppable_refused);
    return SendResult::kRefusedDroppable;
  }
  if (queued_bytes_ + data.size() > limits_.send_queue_hard_limit) {
    stats.add(stats.send_queue_overflows);
    close(kAppErrorSendQueueOverflow);
    return SendResult::kOverflowClosed;
  }
  Stream& s = it->second;
  if (!data.empty()) {
    if (!s.send) s.send = std::make_unique<StreamSendBuffer>();
    s.send->append(data);
    queued_bytes_ += data.size();
    stats.add(stats.send_queue_bytes, data.size());
  }
  if (options.fin) s.fin_queued = true;
  schedule();
  return SendResult::kQueued;
}

size_t Connection::max_datagram_payload() const {
  const ngtcp2_transport_params* rp = ngtcp2_conn_get_remote_transport_params(conn_);
  if (rp == nullptr || rp->max_datagram_frame_size == 0) return 0;
  // A DATAGRAM frame with length costs at most 1 type byte + 8 length
  // bytes; the packet also needs room for header and AEAD tag (~ 60).
  const size_t frame_limit = static_cast<size_t>(rp->max_datagram_frame_size) - 9;
  const size_t path_limit = ngtcp2_conn_get_path_max_tx_udp_payload_size(conn_) - 60;
  return std::min(frame_limit, path_limit);
}

bool Connection::send_datagram(std::span<const uint8_t> data) {
  auto& stats = host_.stats();
  if (state_ != State::kActive || data.empty() || data.size() > max_datagram_payload()) {
    stats.add(stats.datagrams_dropped);
    return false;
  }
  if (!datagrams_) datagrams_ = std::make_unique<std::deque<std::vector<uint8_t>>>();
  if (datagrams_->size() >= limits_.max_queued_datagrams) {
    stats.add(stats.datagrams_dropped);
    return false;
  }
  // A buffer of a datagram already sent, when there is one: a relay queues
  // one per packet it forwards, and this spares the allocation.
  std::vector<uint8_t> buffer;
  if (!spare_datagrams_.empty()) {
    buffer = std::move(spare_datagrams_.back());
    spare_datagrams_.pop_back();
  }
  buffer.assign(data.begin(), data.end());
  datagrams_->push_back(std::move(buffer));
  datagram_bytes_ += data.size();
  schedule();
  return true;
}

uint64_t Connection::congestion_window_left() const {
  if (state_ != State::kActive) return 0;
  return ngtcp2_conn_get_cwnd_left(conn_);
}

uint64_t Connection::estimated_bandwidth_bps() const {
  ngtcp2_conn_stat stat{};
  ngtcp2_conn_get_conn_stat(conn_, &stat);
  const uint64_t rtt = stat.smoothed_rtt ? stat.smoothed_rtt : stat.initial_rtt;
  if (rtt == 0) return 0;
  // cwnd bytes per rtt nanoseconds, in bits a second.
  const long double bps = static_cast<long double>(stat.cwnd) * 8.0L * 1e9L / static_cast<long double>(rtt);
  return bps > 1.8e19L ? UINT64_MAX : static_cast<uint64_t>(bps);
}

void Connection::pop_datagram() {
  auto& front = datagrams_->front();
  datagram_bytes_ -= front.size();
  if (spare_datagrams_.size() < kSpareDatagrams) spare_datagrams_.push_back(std::move(front));
  datagrams_->pop_front();
}

void Connection::reset_stream(int64_t stream_id, uint64_t app_error_code) {
  if (state_ != State::kActive) return;
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  ngtcp2_conn_shutdown_stream(conn_, stream_id, app_error_code);
  schedule();
}

void Connection::close(uint64_t app_error_code) {
  if (state_ != State::kActive) return;
  ngtcp2_connection_close_error_set_application_error(&ccerr_, app_error_code, nullptr, 0);
  close_kind_ = CloseKind::kLocal;
  request_close();
}

void Connection::set_flow_control_credit(bool enabled) {
  flow_credit_ = enabled;
  if (!enabled || state_ != State::kActive) return;
  for (auto& [id, s] : streams_) {
    if (s.uncredited > 0) {
      credit(id, s.uncredited);
      s.uncredited = 0;
    }
  }
  schedule();
}

int Connection::migrate() {
  if (server_ || state_ != State::kActive) return NGTCP2_ERR_INVALID_STATE;
  return host_.migrate(*this);
}

int Connection::move_to(UdpSocket& socket, const SocketAddress& local) {
  const SocketAddress remote = remote_address();
  const ngtcp2_path path = make_path(local, remote, socket);
  const int rv = ngtcp2_conn_initiate_immediate_migration(conn_, &path, monotonic_ns());
  if (rv != 0) return rv;
  socket_ = &socket;
  schedule();
  return 0;
}

// ---- Events from ngtcp2 -------------------------------------------------

ConnectionHandler& Connection::handler() {
  seen_by_application_ = true;
  return host_.handler();
}

int Connection::on_handshake_completed() {
  established_ = true;
  auto& stats = host_.stats();
  HandshakeInfo info;
  info.duration = std::chrono::microseconds((monotonic_ns() - created_ns_) / 1000);
  info.resumed = gnutls_session_is_resumed(tls_) != 0;
  info.early_data_accepted = (gnutls_session_get_flags(tls_) & GNUTLS_SFLAGS_EARLY_DATA) != 0;
  gnutls_datum_t alpn{};
  if (gnutls_alpn_get_selected_protocol(tls_, &alpn) == 0) {
    info.alpn.assign(reinterpret_cast<const char*>(alpn.data), alpn.size);
  }
  if (info.alpn != alpn_) {
    // A server that ignored our ALPN: refuse it like the server would.
    ngtcp2_connection_close_error_set_transport_error_tls_alert(&ccerr_, 120, nullptr, 0);
    close_kind_ = CloseKind::kError;
    established_ = false;
    request_close();
    return 0;
  }
  if (server_) {
    // Tickets are sent once the handshake is done so that the client can
    // resume (and use 0-RTT) on its next connection.
    gnutls_session_ticket_send(tls_, 1, 0);
  } else if (early_data_attempted_ && !info.early_data_accepted) {
    // GnuTLS reports rejection only now; ngtcp2 then forgets 0-RTT streams.
    ngtcp2_conn_early_data_rejected(conn_);
  }
  stats.sub(stats.handshakes_in_flight);
  stats.add(stats.handshakes_completed);
  if (info.resumed) stats.add(stats.handshakes_resumed);
  if (info.early_data_accepted) stats.add(stats.early_data_accepted);
  stats.record_handshake_latency(static_cast<uint64_t>(info.duration.count()));
  handler().on_established(*this, info);
  schedule();
  return 0;
}

void Connection::on_early_data_rejected() {
  // ngtcp2 discarded the streams opened in 0-RTT. Reopen them in order (they
  // get the same ids, since ids are assigned sequentially) and send their
  // data again from the start.
  std::map<int64_t, Stream> local;
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (ngtcp2_conn_is_local_stream(conn_, it->first)) {
      local.emplace(it->first, std::move(it->second));
      it = streams_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [old_id, s] : local) {
    int64_t id = -1;
    if (ngtcp2_conn_open_bidi_stream(conn_, &id, nullptr) != 0 || id != old_id) {
      if (s.send) {
        queued_bytes_ -= s.send->unacked();
        host_.stats().sub(host_.stats().send_queue_bytes, s.send->unacked());
      }
      handler().on_stream_reset(*this, old_id, kAppErrorStreamCancelled);
      continue;
    }
    if (s.send) s.send->rewind_to_acked();
    s.fin_sent = false;
    s.blocked = false;
    streams_.emplace(id, std::move(s));
  }
}

void Connection::on_new_session_ticket() {
  gnutls_datum_t data{};
  if (gnutls_session_get_data2(tls_, &data) != 0) return;
  const ngtcp2_transport_params* rp = ngtcp2_conn_get_remote_transport_params(conn_);
  if (rp != nullptr) {
    const auto blob = encode_session_ticket({data.data, data.size}, *rp);
    handler().on_session_ticket(*this, blob);
  }
  gnutls_free(data.data);
}

int Connection::on_stream_data(uint32_t flags, int64_t stream_id, const uint8_t* data,
                               size_t len) {
  Stream& s = streams_[stream_id];
  handler().on_stream_data(*this, stream_id, {data, len},
                           (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0,
                           (flags & NGTCP2_STREAM_DATA_FLAG_EARLY) != 0);
  if (len == 0) return 0;
  if (flow_credit_) {
    credit(stream_id, len);
  } else {
    // The handler may have erased nothing; `s` is still valid (streams are
    // erased only from stream_close, which ngtcp2 never calls from here).
    s.uncredited += len;
  }
  return 0;
}

void Connection::credit(int64_t stream_id, uint64_t n) {
  ngtcp2_conn_extend_max_stream_offset(conn_, stream_id, n);
  ngtcp2_conn_extend_max_offset(conn_, n);
}

int Connection::on_acked(int64_t stream_id, uint64_t offset, uint64_t len) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end() || !it->second.send) return 0;
  const uint64_t freed = it->second.send->ack_to(offset + len);
  queued_bytes_ -= freed;
  host_.stats().sub(host_.stats().send_queue_bytes, freed);
  return 0;
}

void Connection::on_stream_closed(uint32_t, int64_t stream_id, uint64_t app_error_code) {
  auto it = streams_.find(stream_id);
  if (it != streams_.end()) {
    if (it->second.send) {
      const uint64_t left = it->second.send->unacked();
      queued_bytes_ -= left;
      host_.stats().sub(host_.stats().send_queue_bytes, left);
    }
    streams_.erase(it);
  }
  if (!ngtcp2_conn_is_local_stream(conn_, stream_id) && ngtcp2_is_bidi_stream(stream_id)) {
    // ngtcp2 does not raise the peer's stream limit by itself: one closed,
    // one more allowed, so max_streams_bidi bounds concurrent streams.
    ngtcp2_conn_extend_max_streams_bidi(conn_, 1);
  }
  handler().on_stream_closed(*this, stream_id, app_error_code);
}

void Connection::on_datagram(uint32_t flags, const uint8_t* data, size_t len) {
  host_.stats().add(host_.stats().datagrams_in);
  handler().on_datagram(*this, {data, len}, (flags & NGTCP2_DATAGRAM_FLAG_EARLY) != 0);
}

// ---- Packet I/O ---------------------------------------------------------

void Connection::on_packet(UdpSocket& socket, const SocketAddress& local,
                           const SocketAddress& remote, const uint8_t* data, size_t len) {
  if (state_ != State::kActive) return;
  const ngtcp2_path path = make_path(local, remote, socket);
  ngtcp2_pkt_info pi{};
  const int rv = ngtcp2_conn_read_pkt(conn_, &path, &pi, data, len, monotonic_ns());
  if (rv == 0) {
    schedule();
    return;
  }
  switch (rv) {
    case NGTCP2_ERR_DRAINING: {
      // The peer closed (or reset) the connection: nothing more to send.
      ngtcp2_connection_close_error peer{};
      ngtcp2_conn_get_connection_close_error(conn_, &peer);
      ccerr_ = peer;
      finish(stateless_reset_received_ ? CloseKind::kStatelessReset : CloseKind::kPeer);
      schedule();
      return;
    }
    case NGTCP2_ERR_DROP_CONN:
      ngtcp2_connection_close_error_set_transport_error_liberr(&ccerr_, rv, nullptr, 0);
      finish(CloseKind::kError);
      schedule();
      return;
    case NGTCP2_ERR_CRYPTO:
      ngtcp2_connection_close_error_set_transport_error_tls_alert(
          &ccerr_, ngtcp2_conn_get_tls_alert(conn_), nullptr, 0);
      close_kind_ = CloseKind::kError;
      request_close();
      return;
    default:
      fail_with_liberr(rv);
      return;
  }
}

void Connection::fail_with_liberr(int liberr) {
  if (state_ != State::kActive) return;
  ngtcp2_connection_close_error_set_transport_error_liberr(&ccerr_, liberr, nullptr, 0);
  close_kind_ = CloseKind::kError;
  request_close();
}

void Connection::request_close() {
  state_ = State::kCloseRequested;
  schedule();
}

void Connection::schedule() {
  if (!scheduled) {
    scheduled = true;
    host_.schedule(*this);
  }
}

bool Connection::process() {
  scheduled = false;
  if (state_ == State::kActive) write_packets();
  if (server_ && established_ && tls_ != nullptr && state_ == State::kActive) {
    release_tls_session();
  }
  if (state_ == State::kCloseRequested) {
    send_connection_close();
    finish(close_kind_);
  }
  return state_ != State::kFinished;
}

void Connection::close_now(uint64_t app_error_code) {
  if (state_ == State::kFinished) return;
  if (state_ == State::kActive) {
    ngtcp2_connection_close_error_set_application_error(&ccerr_, app_error_code, nullptr, 0);
    close_kind_ = CloseKind::kLocal;
  }
  send_connection_close();
  finish(close_kind_);
}

void Connection::abandon() { finish(CloseKind::kLocal); }

void Connection::release_tls_session() {
  // Once a server's handshake is complete (and so confirmed) GnuTLS has
  // nothing left to do: the session ticket was handed to ngtcp2, which
  // copies CRYPTO data; the packet keys live in ngtcp2's own cipher
  // contexts, and key updates derive from them. Freeing the session and
  // its handshake state saves about 10 KiB per idle connection (docs/quic.md).
  ngtcp2_conn_set_tls_native_handle(conn_, nullptr);
  gnutls_deinit(tls_);
  tls_ = nullptr;
  server_creds_.reset();
}

Connection::Stream* Connection::next_stream_to_write() {
  // Round robin over streams with something to send, starting after the
  // last one written so one bulk stream cannot starve the others.
  Stream* first = nullptr;
  int64_t first_id = -1;
  for (auto& [id, s] : streams_) {
    const bool pending = (s.send && s.send->unsent() > 0) || (s.fin_queued && !s.fin_sent);
    if (!pending || s.blocked) continue;
    if (id > last_written_stream_) {
      if (first == nullptr || first_id < last_written_stream_ || id < first_id) {
        first = &s;
        first_id = id;
      }
    } else if (first == nullptr || (first_id <= last_written_stream_ && id < first_id)) {
      first = &s;
      first_id = id;
    }
  }
  if (first != nullptr) last_written_stream_ = first_id;
  return first;
}

void Connection::write_packets() {
  if (ngtcp2_conn_is_in_closing_period(conn_) || ngtcp2_conn_is_in_draining_period(conn_)) {
    return;
  }
  size_t capacity = 0;
  uint8_t* buf = host_.tx_buffer(capacity);
  const size_t max_udp = ngtcp2_conn_get_max_tx_udp_payload_size(conn_);
  size_t max_packets =
      std::min(capacity / max_udp, ngtcp2_conn_get_send_quantum(conn_) / max_udp);
  if (max_packets == 0) max_packets = 1;
  const ngtcp2_tstamp ts = monotonic_ns();

  ngtcp2_path_storage ps;
  ngtcp2_path_storage prev;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_path_storage_zero(&prev);
  uint8_t* pos = buf;
  size_t in_batch = 0;
  size_t segment = 0;
  std::array<ngtcp2_vec, kMaxVecs> vecs{};

  for (;;) {
    ngtcp2_pkt_info pi{};
    ngtcp2_ssize nwrite = 0;
    if (datagrams_ && !datagrams_->empty()) {
      auto& dg = datagrams_->front();
      ngtcp2_vec v{dg.data(), dg.size()};
      int accepted = 0;
      nwrite = ngtcp2_conn_writev_datagram(conn_, &ps.path, &pi, pos, max_udp, &accepted,
                                           NGTCP2_WRITE_DATAGRAM_FLAG_MORE, 0, &v, 1, ts);
      if (accepted) {
        pop_datagram();
        host_.stats().add(host_.stats().datagrams_out);
      }
      if (nwrite == NGTCP2_ERR_WRITE_MORE) continue;
      if (nwrite < 0) {
        if (nwrite == NGTCP2_ERR_INVALID_ARGUMENT || nwrite == NGTCP2_ERR_INVALID_STATE) {
          // Too large for the path, or the peer takes no datagrams.
          if (!accepted) {
            pop_datagram();
          }
          host_.stats().add(host_.stats().datagrams_dropped);
          continue;
        }
        fail_with_liberr(static_cast<int>(nwrite));
        return;
      }
    } else if (Stream* s = next_stream_to_write()) {
      const int64_t stream_id = last_written_stream_;
      const size_t nvec = s->send ? s->send->peek_unsent(vecs.data(), vecs.size()) : 0;
      const uint64_t unsent = s->send ? s->send->unsent() : 0;
      // FIN rides with the data only once every queued byte fits in.
      uint64_t offered = 0;
      for (size_t i = 0; i < nvec; ++i) offered += vecs[i].len;
      const bool fin = s->fin_queued && offered == unsent;
      uint32_t flags = NGTCP2_WRITE_STREAM_FLAG_MORE;
      if (fin) flags |= NGTCP2_WRITE_STREAM_FLAG_FIN;
      ngtcp2_ssize ndatalen = -1;
      nwrite = ngtcp2_conn_writev_stream(conn_, &ps.path, &pi, pos, max_udp, &ndatalen, flags,
                                         stream_id, vecs.data(), nvec, ts);
      if (ndatalen >= 0 && s->send) s->send->consume_unsent(static_cast<uint64_t>(ndatalen));
      if (ndatalen >= 0 && fin && static_cast<uint64_t>(ndatalen) == offered) s->fin_sent = true;
      if (nwrite < 0) {
        switch (nwrite) {
          case NGTCP2_ERR_WRITE_MORE:
            continue;
          case NGTCP2_ERR_STREAM_DATA_BLOCKED:
            s->blocked = true;
            continue;
          case NGTCP2_ERR_STREAM_SHUT_WR:
          case NGTCP2_ERR_STREAM_NOT_FOUND:
            // Reset by either side: the queued bytes will never go.
            s->fin_sent = true;
            s->fin_queued = true;
            if (s->send) {
              const uint64_t left = s->send->unacked();
              queued_bytes_ -= left;
              host_.stats().sub(host_.stats().send_queue_bytes, left);
              s->send.reset();
            }
            continue;
          default:
            fail_with_liberr(static_cast<int>(nwrite));
            return;
        }
      }
    } else {
      nwrite = ngtcp2_conn_write_pkt(conn_, &ps.path, &pi, pos, max_udp, ts);
      if (nwrite < 0) {
        fail_with_liberr(static_cast<int>(nwrite));
        return;
      }
    }

    if (nwrite == 0) {
      if (in_batch > 0) send_batch(prev.path, buf, static_cast<size_t>(pos - buf), segment);
      break;
    }
    const auto n = static_cast<size_t>(nwrite);
    if (in_batch == 0) {
      ngtcp2_path_copy(&prev.path, &ps.path);
      segment = n;
    } else if (!ngtcp2_path_eq(&prev.path, &ps.path) || n > segment) {
      // A GSO batch needs one path and equal sizes (last may be shorter):
      // send what we have and start a new batch with this packet.
      send_batch(prev.path, buf, static_cast<size_t>(pos - buf), segment);
      std::memmove(buf, pos, n);
      pos = buf;
      in_batch = 0;
      ngtcp2_path_copy(&prev.path, &ps.path);
      segment = n;
    }
    pos += n;
    ++in_batch;
    if (in_batch == max_packets || n < segment) {
      send_batch(prev.path, buf, static_cast<size_t>(pos - buf), segment);
      pos = buf;
      in_batch = 0;
    }
  }
  ngtcp2_conn_update_pkt_tx_time(conn_, ts);
  update_timer();
}

void Connection::send_batch(const ngtcp2_path& path, const uint8_t* data, size_t len,
                            size_t segment) {
  auto* sock = static_cast<UdpSocket*>(path.user_data);
  if (sock == nullptr) sock = socket_;
  const size_t packets = (len + segment - 1) / segment;
  const size_t sent = sock->send(path.remote.addr, path.remote.addrlen, data, len, segment);
  auto& stats = host_.stats();
  stats.add(stats.packets_out, sent);
  stats.add(stats.bytes_out, sent == packets ? len : sent * segment);
  if (sent < packets) stats.add(stats.send_errors, packets - sent);
}

void Connection::send_connection_close() {
  if (conn_ == nullptr || ngtcp2_conn_is_in_closing_period(conn_) ||
      ngtcp2_conn_is_in_draining_period(conn_)) {
    return;
  }
  size_t capacity = 0;
  uint8_t* buf = host_.tx_buffer(capacity);
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_pkt_info pi{};
  const ngtcp2_ssize n = ngtcp2_conn_write_connection_close(
      conn_, &ps.path, &pi, buf, std::min<size_t>(capacity, NGTCP2_MAX_UDP_PAYLOAD_SIZE), &ccerr_,
      monotonic_ns());
  if (n <= 0) return;
  const auto total = static_cast<size_t>(n);
  // A server closing with an application code before the handshake is
  // confirmed gets from ngtcp2 one datagram: CONNECTION_CLOSE(APPLICATION_ERROR
  // 0xc, the code hidden) in a Handshake or Initial packet, then the real
  // application CONNECTION_CLOSE in a 1-RTT packet. A peer reads coalesced
  // packets in order and stops at the first close, so it would see 0xc. Send
  // the 1-RTT packet first, alone: a client that has read our Finished holds
  // the 1-RTT keys and gets the application code; the long-header packet
  // follows for a client that does not.
  const size_t lead = server_ ? long_header_packets_size({buf, total}) : total;
  if (lead > 0 && lead < total) {
    send_batch(ps.path, buf + lead, total - lead, total - lead);
    send_batch(ps.path, buf, lead, lead);
    return;
  }
  send_batch(ps.path, buf, total, total);
}

void Connection::finish(CloseKind kind) {
  if (state_ == State::kFinished) return;
  state_ = State::kFinished;
  ev_timer_stop(host_.loop(), &timer_);
  auto& stats = host_.stats();
  stats.sub(stats.connections_open);
  stats.add(stats.connections_closed);
  if (!established_) {
    stats.sub(stats.handshakes_in_flight);
    stats.add(stats.handshakes_failed);
  }
  if (kind == CloseKind::kIdleTimeout) stats.add(stats.idle_timeouts);
  // A server connection the application never heard of needs no on_closed;
  // one it has seen (0-RTT data arrives before on_established, and the
  // application may have stored state in user_data) must get one, or that
  // state leaks when the handshake then fails.
  if (!server_ || established_ || seen_by_application_ || user_data_ != nullptr) {
    CloseInfo info;
    info.kind = kind;
    info.error_code = ccerr_.error_code;
    info.application_error = ccerr_.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION;
    info.was_established = established_;
    host_.handler().on_closed(*this, info);
  }
}

// ---- Timer --------------------------------------------------------------

void Connection::update_timer() {
  if (state_ == State::kFinished) return;
  const ngtcp2_tstamp expiry = ngtcp2_conn_get_expiry(conn_);
  if (expiry == UINT64_MAX) {
    ev_timer_stop(host_.loop(), &timer_);
    return;
  }
  const ngtcp2_tstamp now = monotonic_ns();
  const double delay = expiry > now ? static_cast<double>(expiry - now) / 1e9 : 0.0;
  timer_.repeat = std::max(delay, 1e-6);
  ev_timer_again(host_.loop(), &timer_);
}

void Connection::on_timer(struct ev_loop*, ev_timer* w, int) {
  auto* c = static_cast<Connection*>(w->data);
  ev_timer_stop(c->host_.loop(), &c->timer_);
  if (c->state_ != State::kActive) return;
  const int rv = ngtcp2_conn_handle_expiry(c->conn_, monotonic_ns());
  if (rv == NGTCP2_ERR_IDLE_CLOSE) {
    c->ccerr_.type = NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT_IDLE_CLOSE;
    c->ccerr_.error_code = 0;
    c->finish(CloseKind::kIdleTimeout);
    c->schedule();
    return;
  }
  if (rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT) {
    c->finish(CloseKind::kHandshakeTimeout);
    c->schedule();
    return;
  }
  if (rv != 0) {
    c->fail_with_liberr(rv);
    return;
  }
  c->schedule();
}

}  // namespace qsip::quic
