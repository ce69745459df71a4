// One QUIC connection (either role) over ngtcp2 and GnuTLS: feeds it
// packets, writes its packets in batches, queues stream data and datagrams
// with back-pressure, and reports events to the ConnectionHandler. Owned by
// one event loop; every method must be called on that loop's thread.
#pragma once

#include <ev.h>
#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "quic/connection_handler.hpp"
#include "quic/connection_limits.hpp"
#include "quic/socket_address.hpp"
#include "quic/stream_send_buffer.hpp"

namespace qsip::quic {

class ConnectionHost;
class ServerCredentials;
class TlsServerContext;
class TlsClientCredentials;
class UdpSocket;
struct ClientTlsOptions;

// Result of Connection::send.
enum class SendResult {
  kQueued,            // accepted; will be sent as flow and congestion control allow
  kRefusedDroppable,  // droppable data refused: the send queue is over its soft bound
  kUnknownStream,     // no such stream, or its sending side is already finished
  kClosed,            // the connection is closing
  kOverflowClosed,    // the send queue passed its hard bound: the connection is now
                      // closing with kAppErrorSendQueueOverflow
};

struct SendOptions {
  bool fin = false;        // this is the last data on the stream
  bool droppable = false;  // may be refused under back-pressure (typing, presence ...)
};

class Connection {
 public:
  // Parameters of a server-side connection, from the client's first Initial.
  struct ServerSetup {
    const ngtcp2_pkt_hd* hd = nullptr;        // the Initial's header
    const ngtcp2_cid* retry_odcid = nullptr;  // original DCID when a Retry token verified
    const ngtcp2_cid* scid = nullptr;         // the CID this server chose
    const uint8_t* reset_token = nullptr;     // stateless reset token of `scid`
    TlsServerContext* tls = nullptr;
    // ngtcp2's allocator for this connection (nullptr = malloc); must
    // outlive the connection.
    const ngtcp2_mem* mem = nullptr;
  };
  // Parameters of a client connection.
  struct ClientSetup {
    const ClientTlsOptions* tls = nullptr;
    TlsClientCredentials* credentials = nullptr;
    std::span<const uint8_t> session_ticket;  // empty: full handshake
  };

  // Creates a connection. Returns nullptr (and counts nothing) when ngtcp2
  // or GnuTLS refuse to set it up.
  static std::unique_ptr<Connection> new_server(ConnectionHost& host, uint64_t id,
                                                const ConnectionLimits& limits,
                                                const ServerSetup& setup, UdpSocket& socket,
                                                const SocketAddress& local,
                                                const SocketAddress& remote);
  static std::unique_ptr<Connection> new_client(ConnectionHost& host, uint64_t id,
                                                const ConnectionLimits& limits,
                                                const ClientSetup& setup, UdpSocket& socket,
                                                const SocketAddress& remote);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // ---- Application API -------------------------------------------------

  // Endpoint-unique number of this connection (stable; use it to find the
  // connection again, e.g. Worker::find).
  uint64_t id() const { return id_; }
  bool is_server() const { return server_; }
  bool established() const { return established_; }
  // The peer's current address (changes after a migration).
  SocketAddress remote_address() const;

  void* user_data() const { return user_data_; }
  void set_user_data(void* data) { user_data_ = data; }

  // Opens a bidirectional stream. Returns its id (>= 0), or
  // NGTCP2_ERR_STREAM_ID_BLOCKED when the peer's stream limit is reached
  // (or, on a client without a session ticket, before the handshake
  // completes), or NGTCP2_ERR_INVALID_STATE when the connection is closing.
  int64_t open_bidi_stream();

  // Queues bytes (copied) on a stream; see SendResult. An empty `data` with
  // `fin` just ends the stream. Data queued on a client before the
  // handshake completes goes out as 0-RTT when a ticket is held.
  SendResult send(int64_t stream_id, std::span<const uint8_t> data, SendOptions options = {});

  // Queues one DATAGRAM frame. Returns false (and counts a drop) when the
  // peer does not accept datagrams, the payload is larger than
  // max_datagram_payload(), the datagram queue is full, or the connection
  // is closing. Datagrams are unreliable: queued ones may still be lost.
  bool send_datagram(std::span<const uint8_t> data);
  // Largest payload send_datagram accepts now (0 = peer accepts none).
  size_t max_datagram_payload() const;
  // For a media relay that drops rather than queues (docs/calls.md "Media
  // relay"): the datagrams and bytes waiting in the datagram queue, and the
  // bytes the congestion window still lets into flight (ngtcp2_conn_get_cwnd_left).
  size_t queued_datagrams() const { return datagrams_ ? datagrams_->size() : 0; }
  size_t queued_datagram_bytes() const { return datagram_bytes_; }
  uint64_t congestion_window_left() const;
  // The bandwidth towards the peer as the congestion controller sees it,
  // bits a second: cwnd / smoothed RTT (the initial RTT before any sample).
  uint64_t estimated_bandwidth_bps() const;

  // Resets a stream in both directions with `app_error_code`; queued bytes
  // are discarded. Unknown streams are ignored.
  void reset_stream(int64_t stream_id, uint64_t app_error_code);

  // Closes the connection with an application error code (kAppError*). The
  // CONNECTION_CLOSE is sent and on_closed is reported from the event loop,
  // not from inside this call.
  void close(uint64_t app_error_code);

  // Stream bytes queued and not yet acknowledged by the peer.
  size_t queued_bytes() const { return queued_bytes_; }

  // When false, received stream bytes are still delivered but not credited
  // to flow control, so a peer stops sending once the windows fill (and a
  // test can play a peer that does not read). Turning it back on credits
  // everything delivered meanwhile.
  void set_flow_control_credit(bool enabled);

  // Client: rebinds to a new local UDP port, as a NAT rebinding would; the
  // server validates the new path. Returns 0, or NGTCP2_ERR_CONN_ID_BLOCKED
  // when the server has not yet issued a spare connection ID, or another
  // negative ngtcp2 error (NGTCP2_ERR_INVALID_STATE on a server connection
  // or before the handshake is confirmed).
  int migrate();

  // ---- For the owning host ---------------------------------------------

  // Feeds one received packet. `socket` is the socket replies for this path
  // go through.
  void on_packet(UdpSocket& socket, const SocketAddress& local, const SocketAddress& remote,
                 const uint8_t* data, size_t len);
  // Writes what can be written, or finishes a requested close. Called by the
  // host after schedule(). Returns false when the connection is finished
  // and must be destroyed (after the host unregisters its CIDs).
  bool process();
  // Close immediately with `app_error_code`, sending CONNECTION_CLOSE now
  // (graceful stop). Reports on_closed. The host destroys it afterwards.
  void close_now(uint64_t app_error_code);
  // Forget the connection without sending anything (abandon on stop).
  void abandon();
  // Moves the connection to another path (client migrate implementation).
  int move_to(UdpSocket& socket, const SocketAddress& local);
  bool scheduled = false;  // host bookkeeping: already in the schedule list
  ngtcp2_conn* native() const { return conn_; }
  const std::vector<ngtcp2_cid>& routed_cids() const { return routed_cids_; }
  void add_routed_cid(const ngtcp2_cid& cid) { routed_cids_.push_back(cid); }
  void remove_routed_cid(const ngtcp2_cid& cid);

 private:
  struct Stream {
    std::unique_ptr<StreamSendBuffer> send;
    bool fin_queued = false;
    bool fin_sent = false;
    bool blocked = false;       // flow control: wait for extend_max_stream_data
    uint64_t uncredited = 0;    // delivered bytes not yet credited to flow control
  };
  enum class State { kActive, kCloseRequested, kFinished };

  Connection(ConnectionHost& host, uint64_t id, const ConnectionLimits& limits, bool server);
  static ngtcp2_callbacks callbacks(bool server);
  static ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref);

  // ngtcp2 callbacks (static trampolines live in connection.cpp).
  friend struct ConnectionCallbacks;
  int on_handshake_completed();
  int on_stream_data(uint32_t flags, int64_t stream_id, const uint8_t* data, size_t len);
  int on_acked(int64_t stream_id, uint64_t offset, uint64_t len);
  void on_stream_closed(uint32_t flags, int64_t stream_id, uint64_t app_error_code);
  void on_datagram(uint32_t flags, const uint8_t* data, size_t len);
  void on_early_data_rejected();
  void on_new_session_ticket();

  void write_packets();
  void send_batch(const ngtcp2_path& path, const uint8_t* data, size_t len, size_t segment);
  Stream* next_stream_to_write();
  void fail_with_liberr(int liberr);
  void request_close();
  void send_connection_close();
  void finish(CloseKind kind);
  // Server, handshake complete: frees the GnuTLS session (tls_ = nullptr).
  void release_tls_session();
  void update_timer();
  void schedule();
  static void on_timer(struct ev_loop* loop, ev_timer* w, int revents);
  void credit(int64_t stream_id, uint64_t n);
  // The application's handler, for delivering an event: remembers that the
  // application has seen this connection, so finish() reports on_closed.
  ConnectionHandler& handler();

  ConnectionHost& host_;
  const uint64_t id_;
  const ConnectionLimits limits_;
  const bool server_;
  ngtcp2_conn* conn_ = nullptr;
  gnutls_session_t tls_ = nullptr;
  ngtcp2_crypto_conn_ref conn_ref_{};
  std::shared_ptr<ServerCredentials> server_creds_;
  std::string pin_sha256_;  // client pinning; empty otherwise
  bool verify_insecure_ = false;
  std::string alpn_;
  std::string server_name_;  // client: name verified in the certificate
  ev_timer timer_{};
  void* user_data_ = nullptr;
  State state_ = State::kActive;
  ngtcp2_connection_close_error ccerr_{};
  CloseKind close_kind_ = CloseKind::kLocal;
  bool established_ = false;
  bool early_data_attempted_ = false;
  bool stateless_reset_received_ = false;
  bool flow_credit_ = true;
  bool seen_by_application_ = false;  // some handler event was delivered
  uint64_t created_ns_ = 0;
  size_t queued_bytes_ = 0;
  std::unordered_map<int64_t, Stream> streams_;
  int64_t last_written_stream_ = -1;
  std::unique_ptr<std::deque<std::vector<uint8_t>>> datagrams_;
  size_t datagram_bytes_ = 0;  // bytes in datagrams_
  // Buffers of sent datagrams kept for the next ones (at most kSpareDatagrams).
  static constexpr size_t kSpareDatagrams = 8;
  std::vector<std::vector<uint8_t>> spare_datagrams_;
  // Removes the datagram at the front of the queue, keeping its buffer.
  void pop_datagram();
  std::vector<ngtcp2_cid> routed_cids_;
  UdpSocket* socket_ = nullptr;  // current path's socket
  friend bool verify_client_certificate(gnutls_session_t session);
  friend int client_verify_callback(gnutls_session_t session);
};

}  // namespace qsip::quic
