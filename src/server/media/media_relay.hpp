// The media relay (SFU) of qsipd (docs/calls.md "Media relay"): every
// datagram (wire profile 7: varint(flow_id) || RTP) a participant sends on
// an announced flow goes to the receivers the calls module published for it
// (route_table.hpp), under each receiver's own flow id; only the varint
// prefix changes, the RTP packet is never decrypted nor re-serialized.
//
// Threads: datagrams arrive on the worker owning their sender's connection.
// A receiver on the same worker is sent to at once; receivers on other
// workers get the datagram through that worker's HandoffLane, one posted
// task carrying a whole batch. A receiver that has no room (congestion_rule.hpp)
// loses the packet; nobody else waits for it. No JSON, no lock held while
// sending, no allocation per datagram beyond the connection's own queue.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "server/media/handoff_lane.hpp"
#include "server/media/route_table.hpp"
#include "server/media/session_routes.hpp"
#include "server/media/test_drop.hpp"
#include "server/metrics.hpp"

namespace qsip::quic {
class Connection;
class Server;
class Worker;
}  // namespace qsip::quic

namespace qsip::server::media {

struct RelayOptions {
  double test_drop_percent = 0;  // [media] test_drop_percent (a test hook)
};

class MediaRelay final : public RoutePublisher {
 public:
  // `forwarded` / `dropped` count every copy sent / lost (qsip_datagrams_*).
  MediaRelay(RelayOptions options, Counter& forwarded, Counter& dropped);

  // How the relay reaches connections (the server's `workers` workers);
  // before the server starts.
  void attach(quic::Server& server, unsigned workers);

  void publish(const SessionRoutes& routes) override { routes_.publish(routes); }

  // A datagram from `sender`, on the worker that owns it. False when it is
  // on no announced flow of a call (the caller counts it as dropped).
  bool on_datagram(quic::Connection& sender, std::span<const std::uint8_t> datagram);

  const RouteTable& routes() const { return routes_; }

 private:
  // On the receiver's worker: the congestion rule, then the send.
  void deliver(quic::Connection& receiver, FlowCounters& counters, std::span<const std::uint8_t> datagram);
  void drain(unsigned from, quic::Worker& worker);
  HandoffLane& lane(unsigned from, unsigned to) { return *lanes_[from * workers_ + to]; }

  RouteTable routes_;
  TestDrop test_drop_;
  Counter& forwarded_;
  Counter& dropped_;
  quic::Server* server_ = nullptr;
  unsigned workers_ = 0;
  std::vector<std::unique_ptr<HandoffLane>> lanes_;  // [from * workers_ + to]
};

}  // namespace qsip::server::media
