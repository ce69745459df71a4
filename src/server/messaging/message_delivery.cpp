#include "server/messaging/message_delivery.hpp"

#include "core/frame_decoder.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/groups/group_directory.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {

MessageDelivery::MessageDelivery(std::vector<std::unique_ptr<store::MessageStore>> stores, DeviceFeed::Limits limits)
    : stores_(std::move(stores)), feeds_(stores_.size()), limits_(limits) {}

store::MessageStore& MessageDelivery::store(ClientSession& session) {
  return *stores_.at(session.context().worker_index);
}

DeviceFeed* MessageDelivery::feed(ClientSession& session) {
  auto& feeds = feeds_.at(session.context().worker_index);
  auto it = feeds.find(session.connection_id());
  return it == feeds.end() ? nullptr : &it->second;
}

void MessageDelivery::publish(DeviceDirectory& directory, ConnectionMailer& mailer, const EventRoute& route) {
  for (std::size_t i = 0; i < route.users.size(); ++i) {
    bool repeated = false;  // a message to oneself names the user twice
    for (std::size_t j = 0; j < i; ++j) repeated = repeated || route.users[j] == route.users[i];
    if (repeated) continue;
    for (const auto& device : directory.devices(route.users[i])) {
      if (device.connection_id == route.except_connection) continue;
      // A full inbox drops the task: the device then gets the event from the
      // store at its next REGISTER (its cursor has not passed it).
      mailer.run(device.connection_id, [this, seq = route.seq, frame = route.frame](ClientSession& session) {
        offer(session, seq, frame);
      });
    }
  }
}

void MessageDelivery::offer(ClientSession& session, std::int64_t seq, const FrameBytes& frame) {
  DeviceFeed* f = feed(session);
  if (!f) return;  // not registered yet: its catch-up at REGISTER reads the event
  if (!f->offer(seq)) return;
  if (session.push(frame, Delivery::kReliable) == SendResult::kClosed) return;
  f->sent(seq);
}

void MessageDelivery::pump(ClientSession& session, DeviceFeed& f) {
  auto& store = this->store(session);
  const auto groups = group_directory::groups_of(*session.context().reader, f.key().user_id);
  if (f.room() > 0 && f.take_urgent_turn()) {
    // Urgent messages of the backlog first (docs/messaging.md "Priority").
    for (auto& e : store.pending(f.key(), groups, f.sent_seq(), f.room(), /*urgent_only=*/true)) {
      if (session.push(make_frame_bytes(core::encode_frame(e.envelope)), Delivery::kReliable) == SendResult::kClosed)
        return;
      f.sent_early(e.seq);
    }
  }
  while (std::size_t room = f.room()) {
    auto events = store.pending(f.key(), groups, f.sent_seq(), room);
    for (auto& e : events) {
      if (!f.is_early(e.seq) &&
          session.push(make_frame_bytes(core::encode_frame(e.envelope)), Delivery::kReliable) == SendResult::kClosed)
        return;
      f.sent(e.seq);
    }
    if (events.size() < room) {
      f.caught_up();
      return;
    }
  }
}

void MessageDelivery::acknowledge(ClientSession& session, std::int64_t seq) {
  DeviceFeed* f = feed(session);
  if (!f) return;
  if (f->ack(seq)) store(session).advance_cursor(f->key(), f->take_cursor_to_persist());
  if (f->catching_up()) pump(session, *f);
}

void MessageDelivery::on_registered(ClientSession& session) {
  store::DeviceKey key{session.user_id(), session.device_id()};
  auto& store = this->store(session);
  const std::int64_t cursor = store.cursor(key);
  auto& feeds = feeds_.at(session.context().worker_index);
  auto [it, added] = feeds.try_emplace(session.connection_id(), key, cursor, limits_);
  if (!added) return;
  pump(session, it->second);
}

void MessageDelivery::on_unregistered(ClientSession& session) {
  auto& feeds = feeds_.at(session.context().worker_index);
  auto it = feeds.find(session.connection_id());
  if (it == feeds.end()) return;
  if (it->second.has_unpersisted()) store(session).advance_cursor(it->second.key(), it->second.take_cursor_to_persist());
  feeds.erase(it);
}

}  // namespace qsip::server
