#include "server/media/media_relay.hpp"

#include <array>

#include "core/varint.hpp"
#include "quic/connection.hpp"
#include "quic/server.hpp"
#include "quic/worker.hpp"
#include "server/media/congestion_rule.hpp"
#include "server/media/layer_choice.hpp"

namespace qsip::server::media {

namespace {

// Larger than any QUIC datagram payload a path carries (about 1,400 bytes).
constexpr std::size_t kMaxDatagram = 2048;

}  // namespace

MediaRelay::MediaRelay(RelayOptions options, Counter& forwarded, Counter& dropped)
    : test_drop_(options.test_drop_percent), forwarded_(forwarded), dropped_(dropped) {}

void MediaRelay::attach(quic::Server& server, unsigned workers) {
  server_ = &server;
  workers_ = workers;
  lanes_.clear();
  for (unsigned i = 0; i < workers_ * workers_; ++i) lanes_.push_back(std::make_unique<HandoffLane>());
}

bool MediaRelay::on_datagram(quic::Connection& sender, std::span<const std::uint8_t> datagram) {
  if (!server_) return false;
  auto flow = core::varint_decode(datagram);
  if (!flow) return false;
  auto routes = routes_.lookup(sender.id());
  if (!routes) return false;
  const auto body = datagram.subspan(flow->size);
  const unsigned here = quic::Server::worker_of(sender.id());
  bool announced = false;
  for (const auto& f : routes->flows) {
    if (f.flow_id != flow->value) continue;
    announced = true;
    f.counters->count_packet(datagram.size());
    f.counters->observe_rtp(body);
    const auto& track = *f.track;
    if (track.receivers.empty()) {
      f.counters->count_drop();  // a held sender, or nobody to hear it
      dropped_.inc();
      continue;
    }
    for (const auto& r : track.receivers) {
      if (track.layers.size() > 1 &&
          choose_layer(track.layers, r.requested_layer, r.counters->bandwidth_bps.load(std::memory_order_relaxed)) != f.layer)
        continue;  // another layer of this track goes to this receiver
      if (test_drop_.drop()) {
        r.counters->count_drop();
        dropped_.inc();
        continue;
      }
      std::array<std::uint8_t, 8> prefix{};
      const auto prefix_size = core::varint_encode(r.flow_id, prefix.data());
      const unsigned owner = quic::Server::worker_of(r.connection_id);
      if (owner == here) {
        auto* receiver = server_->worker(here).find(r.connection_id);
        if (!receiver || prefix_size + body.size() > kMaxDatagram) {
          r.counters->count_drop();
          dropped_.inc();
          continue;
        }
        std::array<std::uint8_t, kMaxDatagram> out;
        std::copy(prefix.begin(), prefix.begin() + static_cast<std::ptrdiff_t>(prefix_size), out.begin());
        std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(prefix_size));
        deliver(*receiver, *r.counters, std::span(out.data(), prefix_size + body.size()));
        continue;
      }
      if (owner >= workers_) {
        r.counters->count_drop();
        dropped_.inc();
        continue;
      }
      auto& handoff = lane(here, owner);
      switch (handoff.add(r.connection_id, r.counters, std::span(prefix.data(), prefix_size), body)) {
        case HandoffLane::Added::kAdded: break;
        case HandoffLane::Added::kFull:
          r.counters->count_drop();
          dropped_.inc();
          break;
        case HandoffLane::Added::kAddedPostNeeded:
          if (!server_->post(owner, [this, here](quic::Worker& worker) { drain(here, worker); })) handoff.abandon();
          break;
      }
    }
  }
  return announced;
}

void MediaRelay::drain(unsigned from, quic::Worker& worker) {
  thread_local HandoffLane::Batch batch;
  auto& handoff = lane(from, worker.index());
  handoff.take(batch);
  for (const auto& item : batch.items) {
    auto* receiver = worker.find(item.connection_id);
    if (!receiver) {
      item.counters->count_drop();
      dropped_.inc();
      continue;
    }
    deliver(*receiver, *item.counters, batch.datagram(item));
  }
  handoff.give_back(batch);
}

void MediaRelay::deliver(quic::Connection& receiver, FlowCounters& counters, std::span<const std::uint8_t> datagram) {
  counters.bandwidth_bps.store(receiver.estimated_bandwidth_bps(), std::memory_order_relaxed);
  const ReceiverLink link{receiver.queued_datagrams(), receiver.queued_datagram_bytes(), receiver.congestion_window_left()};
  if (!receiver_has_room(link, datagram.size()) || !receiver.send_datagram(datagram)) {
    counters.count_drop();
    dropped_.inc();
    return;
  }
  counters.count_packet(datagram.size());
  forwarded_.inc();
}

}  // namespace qsip::server::media
