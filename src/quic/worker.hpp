// A server worker: one thread, one libev loop, one SO_REUSEPORT socket per
// listen address, and the connections it accepted. Packets for connections
// owned by another worker (after a migration) are forwarded to that
// worker's inbox; nothing else is shared, so the packet path takes no lock.
#pragma once

#include <ev.h>
#include <ngtcp2/ngtcp2.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "quic/connection_host.hpp"
#include "quic/connection_id.hpp"
#include "quic/connection_scheduler.hpp"
#include "quic/inbox.hpp"
#include "quic/page_allocator.hpp"
#include "quic/socket_address.hpp"
#include "quic/udp_socket.hpp"

namespace qsip::quic {

class Connection;
class Server;

class Worker final : public ConnectionHost {
 public:
  Worker(Server& server, unsigned index);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // ---- For tasks running on this worker (Server::post) ------------------

  unsigned index() const { return index_; }
  // The connection with this id if this worker owns it and it is alive,
  // else nullptr. Worker thread only.
  Connection* find(uint64_t connection_id);
  // Connections alive on this worker. Worker thread only.
  size_t connection_count() const { return connections_.size(); }
  struct ev_loop* loop() override { return loop_; }

  // ---- For Server ---------------------------------------------------------

  // Binds one socket per address. Throws std::runtime_error.
  void bind(const std::vector<SocketAddress>& addresses);
  const std::vector<SocketAddress>& bound_addresses() const { return bound_; }
  void start();
  // Asks the thread to close (or abandon) every connection and exit; join()
  // waits for it.
  void request_stop(bool notify_peers);
  void join();
  bool post(InboxTask task) { return inbox_.push(std::move(task)); }
  // Handles a packet forwarded by another worker.
  void handle_forwarded(size_t socket_index, const SocketAddress& remote,
                        std::vector<uint8_t> packet);

  // ---- ConnectionHost -----------------------------------------------------
  void schedule(Connection& conn) override { scheduler_.add(conn); }
  uint8_t* tx_buffer(size_t& capacity) override;
  bool issue_cid(Connection& conn, ngtcp2_cid& cid, uint8_t* reset_token,
                 size_t cidlen) override;
  void retire_cid(const ngtcp2_cid& cid) override;
  EndpointStats& stats() override;
  ConnectionHandler& handler() override;
  int migrate(Connection&) override { return NGTCP2_ERR_INVALID_STATE; }

 private:
  struct Listener {
    std::unique_ptr<UdpSocket> socket;
    ev_io watcher{};
    Worker* worker = nullptr;
    size_t index = 0;
  };

  static void on_readable(struct ev_loop* loop, ev_io* w, int revents);
  static void on_stop(struct ev_loop* loop, ev_async* w, int revents);
  void handle_packet(size_t socket_index, const SocketAddress& remote, uint8_t* data,
                     size_t len, bool forwarded);
  void accept_initial(size_t socket_index, const SocketAddress& remote, uint8_t* data,
                      size_t len);
  void send_version_negotiation(size_t socket_index, const SocketAddress& remote,
                                const ngtcp2_version_cid& vc);
  void send_retry(size_t socket_index, const SocketAddress& remote, const ngtcp2_pkt_hd& hd);
  void send_refusal(size_t socket_index, const SocketAddress& remote, const ngtcp2_pkt_hd& hd,
                    uint64_t error_code);
  void send_stateless_reset(size_t socket_index, const SocketAddress& remote,
                            const uint8_t* dcid, size_t dcidlen, size_t received_len);
  void send_raw(size_t socket_index, const SocketAddress& remote, const uint8_t* data,
                size_t len);
  void make_cid(ngtcp2_cid& cid);
  void destroy(Connection& conn);
  void shutdown();

  // Owns the loop; declared before every member that holds watchers on it,
  // so it is destroyed after them.
  struct LoopOwner {
    struct ev_loop* loop;
    ~LoopOwner() { ev_loop_destroy(loop); }
  };

  Server& server_;
  const unsigned index_;
  LoopOwner loop_owner_;
  struct ev_loop* loop_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<SocketAddress> bound_;
  ReceiveBatch rx_;
  std::unique_ptr<uint8_t[]> tx_;
  // ngtcp2's memory for this worker's connections; declared before them so
  // it outlives them.
  PageAllocator ngtcp2_memory_;
  std::unordered_map<CidKey, Connection*, CidKeyHash> cids_;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  uint64_t next_sequence_ = 1;
  ConnectionScheduler scheduler_;
  Inbox inbox_;
  ev_async stop_async_{};
  std::atomic<bool> notify_peers_on_stop_{true};
  std::thread thread_;
};

}  // namespace qsip::quic
