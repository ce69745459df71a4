// Presence follows the connection: right after REGISTER a device gets the
// presence of everyone its user watches; when a device's connection goes,
// it stops counting, and when it was the last one the user is `offline`
// (with last_active_at) for its watchers.
#pragma once

#include "server/dispatch/session_observer.hpp"
#include "server/presence/presence_fanout.hpp"
#include "server/presence/presence_table.hpp"

namespace qsip::server {

class PresenceObserver final : public SessionObserver {
 public:
  PresenceObserver(PresenceTable& table, PresenceFanout& fanout) : table_(table), fanout_(fanout) {}
  void on_registered(ClientSession& session) override;
  void on_unregistered(ClientSession& session) override;

 private:
  PresenceTable& table_;
  PresenceFanout& fanout_;
};

}  // namespace qsip::server
