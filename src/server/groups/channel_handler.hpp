// CHANNEL (draft 5.30; docs/groups.md "Channels"): list reads on the
// worker's own connection and is answered with a CHANNEL carrying the
// channels; create, delete, join and leave run as one check-and-write task
// on the store's writer and are answered RECEIPT once committed. Membership
// notices are GROUP ones (a channel is a group of kind channel), sent to
// every device of the members.
#pragma once

#include "server/dispatch/handler.hpp"

namespace qsip::server {

class ChannelHandler final : public Handler {
 public:
  void handle(Request& request) override;
};

}  // namespace qsip::server
