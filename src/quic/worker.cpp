// Worker: receive path (demultiplex by CID, accept, forward), stateless
// replies (version negotiation, Retry, refusal, stateless reset) and the
// connection table.
#include "quic/worker.hpp"

#include <ngtcp2/ngtcp2_crypto.h>

#include <chrono>
#include <cstring>

#include "quic/app_error.hpp"
#include "quic/clock.hpp"
#include "quic/connection.hpp"
#include "quic/endpoint_stats.hpp"
#include "quic/random_bytes.hpp"
#include "quic/server.hpp"
#include "quic/tls_server_context.hpp"

namespace qsip::quic {
namespace {

constexpr size_t kTxPackets = 16;
constexpr size_t kTxCapacity = kTxPackets * NGTCP2_MAX_UDP_PAYLOAD_SIZE;
// Retry tokens are valid this long.
constexpr ngtcp2_duration kRetryTokenLifetime = 10 * NGTCP2_SECONDS;

// Retry tokens carry wall-clock time so they survive a worker change.
ngtcp2_tstamp system_ns() {
  return static_cast<ngtcp2_tstamp>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

bool is_long_header(const uint8_t* data) { return (data[0] & 0x80) != 0; }
// QUIC v1 long header packet type 0 = Initial.
bool is_initial(const uint8_t* data) { return is_long_header(data) && ((data[0] & 0x30) == 0); }

}  // namespace

Worker::Worker(Server& server, unsigned index)
    : server_(server),
      index_(index),
      loop_owner_{ev_loop_new(EVFLAG_AUTO)},
      loop_(loop_owner_.loop),
      tx_(new uint8_t[kTxCapacity]),
      scheduler_(loop_, [this](Connection& c) { destroy(c); }),
      inbox_(loop_, *this, server.config().inbox_capacity) {
  ev_async_init(&stop_async_, &Worker::on_stop);
  stop_async_.data = this;
}

Worker::~Worker() {
  join();
  connections_.clear();
  for (auto& l : listeners_) ev_io_stop(loop_, &l->watcher);
  listeners_.clear();
  inbox_.stop();
  ev_async_stop(loop_, &stop_async_);
}

void Worker::bind(const std::vector<SocketAddress>& addresses) {
  UdpSocket::Options options;
  options.reuse_port = true;
  options.buffer_bytes = server_.config().socket_buffer_bytes;
  for (const auto& addr : addresses) {
    auto l = std::make_unique<Listener>();
    l->socket = UdpSocket::bind(addr, options);
    l->worker = this;
    l->index = listeners_.size();
    ev_io_init(&l->watcher, &Worker::on_readable, l->socket->fd(), EV_READ);
    l->watcher.data = l.get();
    bound_.push_back(l->socket->local_address());
    listeners_.push_back(std::move(l));
  }
}

void Worker::start() {
  for (auto& l : listeners_) ev_io_start(loop_, &l->watcher);
  inbox_.start();
  ev_async_start(loop_, &stop_async_);
  thread_ = std::thread([this] { ev_run(loop_, 0); });
}

void Worker::request_stop(bool notify_peers) {
  notify_peers_on_stop_.store(notify_peers);
  inbox_.close();
  ev_async_send(loop_, &stop_async_);
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::on_stop(struct ev_loop*, ev_async* w, int) { static_cast<Worker*>(w->data)->shutdown(); }

void Worker::shutdown() {
  const bool notify = notify_peers_on_stop_.load();
  // Process pending writes first so queued data is not lost needlessly.
  scheduler_.run();
  std::vector<Connection*> all;
  all.reserve(connections_.size());
  for (auto& [id, c] : connections_) all.push_back(c.get());
  for (Connection* c : all) {
    if (notify) {
      c->close_now(kAppErrorGoingAway);
    } else {
      c->abandon();
    }
  }
  for (Connection* c : all) destroy(*c);
  for (auto& l : listeners_) ev_io_stop(loop_, &l->watcher);
  inbox_.stop();
  ev_async_stop(loop_, &stop_async_);
  ev_break(loop_, EVBREAK_ALL);
}

Connection* Worker::find(uint64_t connection_id) {
  auto it = connections_.find(connection_id);
  return it == connections_.end() ? nullptr : it->second.get();
}

uint8_t* Worker::tx_buffer(size_t& capacity) {
  capacity = kTxCapacity;
  return tx_.get();
}

EndpointStats& Worker::stats() { return server_.stats(); }
ConnectionHandler& Worker::handler() { return server_.handler(); }

void Worker::make_cid(ngtcp2_cid& cid) {
  cid.datalen = kServerCidLength;
  random_bytes(cid.data, cid.datalen);
  cid.data[0] = static_cast<uint8_t>(index_);
}

bool Worker::issue_cid(Connection& conn, ngtcp2_cid& cid, uint8_t* reset_token, size_t cidlen) {
  if (cidlen != kServerCidLength) return false;
  make_cid(cid);
  const auto& secret = server_.static_secret();
  if (ngtcp2_crypto_generate_stateless_reset_token(reset_token, secret.data(), secret.size(),
                                                   &cid) != 0) {
    return false;
  }
  cids_[CidKey(cid)] = &conn;
  conn.add_routed_cid(cid);
  return true;
}

void Worker::retire_cid(const ngtcp2_cid& cid) { cids_.erase(CidKey(cid)); }

void Worker::destroy(Connection& conn) {
  for (const auto& cid : conn.routed_cids()) cids_.erase(CidKey(cid));
  connections_.erase(conn.id());
}

void Worker::on_readable(struct ev_loop*, ev_io* w, int) {
  auto* l = static_cast<Listener*>(w->data);
  Worker& self = *l->worker;
  // Bounded so one busy socket cannot starve timers and the inbox.
  for (int round = 0; round < 8; ++round) {
    const size_t n = l->socket->receive(self.rx_);
    for (size_t i = 0; i < n; ++i) {
      auto& p = self.rx_.packets[i];
      self.handle_packet(l->index, p.remote, p.data, p.len, false);
    }
    if (n < ReceiveBatch::kMaxPackets) break;
  }
}

void Worker::handle_forwarded(size_t socket_index, const SocketAddress& remote,
                              std::vector<uint8_t> packet) {
  handle_packet(socket_index, remote, packet.data(), packet.size(), true);
}

void Worker::handle_packet(size_t socket_index, const SocketAddress& remote, uint8_t* data,
                           size_t len, bool forwarded) {
  auto& st = stats();
  if (!forwarded) {
    st.add(st.packets_in);
    st.add(st.bytes_in, len);
  }
  ngtcp2_version_cid vc{};
  const int rv = ngtcp2_pkt_decode_version_cid(&vc, data, len, kServerCidLength);
  if (rv == NGTCP2_ERR_VERSION_NEGOTIATION) {
    send_version_negotiation(socket_index, remote, vc);
    return;
  }
  if (rv != 0) return;

  auto it = cids_.find(CidKey(vc.dcid, vc.dcidlen));
  if (it != cids_.end()) {
    it->second->on_packet(*listeners_[socket_index]->socket, bound_[socket_index], remote, data,
                          len);
    return;
  }
  // Not ours. A packet for a CID another worker issued (a migrated client
  // whose new 4-tuple hashes to this socket) goes to its owner.
  const unsigned owner = vc.dcidlen == kServerCidLength ? cid_owner(vc.dcid) : index_;
  if (!forwarded && !is_initial(data) && owner != index_ && owner < server_.worker_count()) {
    std::vector<uint8_t> copy(data, data + len);
    const bool queued = server_.post(owner, [socket_index, remote, copy = std::move(copy)](
                                                Worker& w) mutable {
      w.handle_forwarded(socket_index, remote, std::move(copy));
    });
    if (queued) st.add(st.packets_forwarded);
    return;
  }
  if (is_initial(data)) {
    accept_initial(socket_index, remote, data, len);
    return;
  }
  if (!is_long_header(data)) {
    send_stateless_reset(socket_index, remote, vc.dcid, vc.dcidlen, len);
  }
}

void Worker::accept_initial(size_t socket_index, const SocketAddress& remote, uint8_t* data,
                            size_t len) {
  auto& st = stats();
  ngtcp2_pkt_hd hd{};
  if (ngtcp2_accept(&hd, data, len) != 0) return;
  const ServerConfig& config = server_.config();
  if (!server_.accepting()) {
    st.refuse(RefusalReason::kNotAccepting);
    send_refusal(socket_index, remote, hd, NGTCP2_CONNECTION_REFUSED);
    return;
  }
  if (st.connections_open.load(std::memory_order_relaxed) >= config.max_connections) {
    st.refuse(RefusalReason::kMaxConnections);
    send_refusal(socket_index, remote, hd, NGTCP2_CONNECTION_REFUSED);
    return;
  }
  ngtcp2_cid odcid{};
  const ngtcp2_cid* retry_odcid = nullptr;
  const auto& secret = server_.static_secret();
  if (hd.token.len > 0 && hd.token.base[0] == NGTCP2_CRYPTO_TOKEN_MAGIC_RETRY) {
    if (ngtcp2_crypto_verify_retry_token(&odcid, hd.token.base, hd.token.len, secret.data(),
                                         secret.size(), hd.version, remote.sa(), remote.len,
                                         &hd.dcid, kRetryTokenLifetime, system_ns()) != 0) {
      st.refuse(RefusalReason::kInvalidRetryToken);
      send_refusal(socket_index, remote, hd, NGTCP2_INVALID_TOKEN);
      return;
    }
    retry_odcid = &odcid;
  } else {
    // The rate limit is charged once per address-validated attempt: before
    // a Retry (so a flood costs us nothing) but not again after it.
    if (!server_.rate_limiter().allow(remote.host_key(), monotonic_ns())) {
      st.refuse(RefusalReason::kHandshakeRate);
      return;  // dropped: answering a flood would amplify it
    }
    const bool retry =
        config.retry == RetryPolicy::kOn ||
        (config.retry == RetryPolicy::kAuto &&
         st.handshakes_in_flight.load(std::memory_order_relaxed) >= config.retry_threshold);
    if (retry) {
      send_retry(socket_index, remote, hd);
      return;
    }
    // We issue no NEW_TOKEN tokens; anything else is ignored.
    hd.token.base = nullptr;
    hd.token.len = 0;
  }

  ngtcp2_cid scid{};
  make_cid(scid);
  uint8_t reset_token[NGTCP2_STATELESS_RESET_TOKENLEN];
  if (ngtcp2_crypto_generate_stateless_reset_token(reset_token, secret.data(), secret.size(),
                                                   &scid) != 0) {
    return;
  }
  Connection::ServerSetup setup;
  setup.hd = &hd;
  setup.retry_odcid = retry_odcid;
  setup.scid = &scid;
  setup.reset_token = reset_token;
  setup.tls = &server_.tls();
  setup.mem = ngtcp2_memory_.mem();
  const uint64_t id = (next_sequence_++ << 8) | index_;
  auto conn = Connection::new_server(*this, id, config.limits, setup,
                                     *listeners_[socket_index]->socket, bound_[socket_index],
                                     remote);
  if (!conn) return;
  Connection& c = *conn;
  cids_[CidKey(hd.dcid)] = &c;
  c.add_routed_cid(hd.dcid);
  cids_[CidKey(scid)] = &c;
  c.add_routed_cid(scid);
  connections_.emplace(id, std::move(conn));
  st.add(st.connections_accepted);
  c.on_packet(*listeners_[socket_index]->socket, bound_[socket_index], remote, data, len);
}

void Worker::send_raw(size_t socket_index, const SocketAddress& remote, const uint8_t* data,
                      size_t len) {
  auto& st = stats();
  if (listeners_[socket_index]->socket->send(remote.sa(), remote.len, data, len, len) == 1) {
    st.add(st.packets_out);
    st.add(st.bytes_out, len);
  } else {
    st.add(st.send_errors);
  }
}

void Worker::send_version_negotiation(size_t socket_index, const SocketAddress& remote,
                                      const ngtcp2_version_cid& vc) {
  uint8_t rnd = 0;
  random_bytes(&rnd, 1);
  // A reserved (greased) version first keeps clients honest (RFC 9000 6.3).
  const uint32_t versions[] = {0x1a2a3a4au, NGTCP2_PROTO_VER_V1};
  uint8_t buf[NGTCP2_MAX_UDP_PAYLOAD_SIZE];
  const ngtcp2_ssize n = ngtcp2_pkt_write_version_negotiation(
      buf, sizeof buf, rnd, vc.scid, vc.scidlen, vc.dcid, vc.dcidlen, versions, 2);
  if (n <= 0) return;
  send_raw(socket_index, remote, buf, static_cast<size_t>(n));
  stats().add(stats().version_negotiations_sent);
}

void Worker::send_retry(size_t socket_index, const SocketAddress& remote,
                        const ngtcp2_pkt_hd& hd) {
  ngtcp2_cid scid{};
  make_cid(scid);
  const auto& secret = server_.static_secret();
  uint8_t token[NGTCP2_CRYPTO_MAX_RETRY_TOKENLEN];
  const ngtcp2_ssize tokenlen =
      ngtcp2_crypto_generate_retry_token(token, secret.data(), secret.size(), hd.version,
                                         remote.sa(), remote.len, &scid, &hd.dcid, system_ns());
  if (tokenlen < 0) return;
  uint8_t buf[NGTCP2_MAX_UDP_PAYLOAD_SIZE];
  const ngtcp2_ssize n = ngtcp2_crypto_write_retry(buf, sizeof buf, hd.version, &hd.scid, &scid,
                                                   &hd.dcid, token,
                                                   static_cast<size_t>(tokenlen));
  if (n <= 0) return;
  send_raw(socket_index, remote, buf, static_cast<size_t>(n));
  stats().add(stats().retries_sent);
}

void Worker::send_refusal(size_t socket_index, const SocketAddress& remote,
                          const ngtcp2_pkt_hd& hd, uint64_t error_code) {
  uint8_t buf[NGTCP2_MAX_UDP_PAYLOAD_SIZE];
  const ngtcp2_ssize n = ngtcp2_crypto_write_connection_close(
      buf, sizeof buf, hd.version, &hd.scid, &hd.dcid, error_code, nullptr, 0);
  if (n <= 0) return;
  send_raw(socket_index, remote, buf, static_cast<size_t>(n));
}

void Worker::send_stateless_reset(size_t socket_index, const SocketAddress& remote,
                                  const uint8_t* dcid, size_t dcidlen, size_t received_len) {
  // A reset must be shorter than what triggered it (no reset loops between
  // two endpoints) and long enough to look like a short header packet.
  constexpr size_t kMinReset = 1 + NGTCP2_MIN_STATELESS_RESET_RANDLEN +
                               NGTCP2_STATELESS_RESET_TOKENLEN;
  if (received_len <= kMinReset || dcidlen == 0) return;
  const size_t reset_len = std::min<size_t>(received_len - 1, 64);
  ngtcp2_cid cid{};
  ngtcp2_cid_init(&cid, dcid, dcidlen);
  uint8_t token[NGTCP2_STATELESS_RESET_TOKENLEN];
  const auto& secret = server_.static_secret();
  if (ngtcp2_crypto_generate_stateless_reset_token(token, secret.data(), secret.size(), &cid) !=
      0) {
    return;
  }
  uint8_t rand[64];
  const size_t randlen = reset_len - NGTCP2_STATELESS_RESET_TOKENLEN;
  random_bytes(rand, randlen);
  uint8_t buf[64];
  const ngtcp2_ssize n =
      ngtcp2_pkt_write_stateless_reset(buf, sizeof buf, token, rand, randlen);
  if (n <= 0) return;
  send_raw(socket_index, remote, buf, static_cast<size_t>(n));
  stats().add(stats().stateless_resets_sent);
}

}  // namespace qsip::quic
