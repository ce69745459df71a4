// RECEIPT from a client (draft 5.11, Appendix B): `delivered_to_client`
// acknowledges a durable event on this device (its cursor moves; the first
// device of a recipient to acknowledge a MESSAGE makes the sender's devices
// get the receipt), and `read` marks a message read (the sender's devices
// and the reader's other devices get it, 16.2). Receipts are answered only
// when refused. docs/messaging.md.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

class MessageTimers;

class ReceiptHandler final : public Handler {
 public:
  ReceiptHandler(MessageDelivery& delivery, MessageTimers& timers) : delivery_(delivery), timers_(timers) {}
  void handle(Request& request) override;

 private:
  MessageDelivery& delivery_;
  MessageTimers& timers_;  // the first delivery starts an ephemeral message's clock
};

}  // namespace qsip::server
