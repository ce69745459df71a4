// PRESENCE (draft 5.2) from a registered device: sets that device's
// presence, answers RECEIPT `ok`, and fans the change out (PresenceFanout).
// Harmless as a 0-RTT replay: the same message_id or the same presence
// again changes nothing and sends nothing.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/presence/presence_fanout.hpp"
#include "server/presence/presence_table.hpp"

namespace qsip::server {

class PresenceHandler final : public Handler {
 public:
  PresenceHandler(PresenceTable& table, PresenceFanout& fanout) : table_(table), fanout_(fanout) {}
  void handle(Request& request) override;

 private:
  PresenceTable& table_;
  PresenceFanout& fanout_;
};

}  // namespace qsip::server
