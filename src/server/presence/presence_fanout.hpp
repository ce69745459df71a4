// Who hears a presence change, and nothing more: the approved watchers of
// the user (roster subscriptions) get the aggregate when it changes; the
// user's other devices get every change of one of its devices (16.3). A
// watcher gains the current presence when its subscription is approved and
// a last `offline` when it ends (so its view does not stay stale). Presence
// of others is droppable traffic (Delivery::kDroppable).
#pragma once

#include <string>

#include "server/dispatch/client_session.hpp"
#include "server/presence/presence_table.hpp"
#include "server/roster/subscription_listener.hpp"

namespace qsip::server {

class PresenceFanout final : public SubscriptionListener {
 public:
  explicit PresenceFanout(PresenceTable& table) : table_(table) {}

  // After a device's publish or leave: tells the watchers (when the
  // aggregate changed) and the user's devices but `except_connection`.
  void changed(WorkerContext& context, const std::string& user_id, const std::string& device_id,
               const PresenceChange& change, std::uint64_t except_connection);
  // A device just registered: the current presence of every user it may
  // watch, and the user's own when one of its devices publishes.
  void snapshot(ClientSession& session);

  void subscription_approved(WorkerContext& context, const std::string& watcher, const std::string& watched) override;
  void subscription_ended(WorkerContext& context, const std::string& watcher, const std::string& watched) override;

 private:
  PresenceTable& table_;
};

}  // namespace qsip::server
