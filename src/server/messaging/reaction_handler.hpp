// REACTION (draft 5.10): add or remove an emoji on a message the reactor can
// see. Reactions are aggregated per message and user in the store, and the
// REACTION itself is stored in the stream for every party's devices. Adding
// one already there (or removing one that is not) is answered `ok` and
// changes nothing.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

class ReactionHandler final : public Handler {
 public:
  explicit ReactionHandler(MessageDelivery& delivery) : delivery_(delivery) {}
  void handle(Request& request) override;

 private:
  MessageDelivery& delivery_;
};

}  // namespace qsip::server
