// Delivery of the durable message stream to devices (docs/messaging.md).
// Owns, per worker, the store handle and the feeds of the devices connected
// there. Events reach a device two ways, always in seq order:
//  - live: once an event is committed, publish() hands it to every online
//    device of its recipients (and of its sender, but the sending
//    connection) on the worker that owns each connection;
//  - from the store: at REGISTER, and whenever a device falls behind, the
//    pager reads what follows its cursor, a window at a time.
// Devices acknowledge with RECEIPT delivered_to_client (libqsip does it);
// acknowledgements move the device's cursor, which the store keeps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/dispatch/outbound.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/messaging/device_feed.hpp"
#include "store/message_store.hpp"

namespace qsip::server {

class ClientSession;
class DeviceDirectory;
class ConnectionMailer;

// Who a committed event goes to.
struct EventRoute {
  std::int64_t seq = 0;
  FrameBytes frame;                 // the event as relayed (length prefix included)
  std::vector<std::string> users;   // every device of these users ...
  std::uint64_t except_connection = 0;  // ... but this one (the sender's own)
};

class MessageDelivery final : public SessionObserver {
 public:
  // One store per worker, each on that worker's read connection.
  MessageDelivery(std::vector<std::unique_ptr<store::MessageStore>> stores, DeviceFeed::Limits limits = {});

  store::MessageStore& store(ClientSession& session);

  // From any thread (typically a store completion): hands the event to the
  // recipients' online devices.
  void publish(DeviceDirectory& directory, ConnectionMailer& mailer, const EventRoute& route);
  // On the session's worker: the device acknowledged the event `seq`.
  void acknowledge(ClientSession& session, std::int64_t seq);

  void on_registered(ClientSession& session) override;
  void on_unregistered(ClientSession& session) override;

 private:
  using FeedMap = std::unordered_map<std::uint64_t, DeviceFeed>;  // by connection id
  DeviceFeed* feed(ClientSession& session);
  void offer(ClientSession& session, std::int64_t seq, const FrameBytes& frame);
  // Pushes from the store while the feed has room.
  void pump(ClientSession& session, DeviceFeed& feed);

  std::vector<std::unique_ptr<store::MessageStore>> stores_;
  std::vector<FeedMap> feeds_;  // per worker, touched only on that worker
  DeviceFeed::Limits limits_;
};

}  // namespace qsip::server
