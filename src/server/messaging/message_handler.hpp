// MESSAGE (draft 5.9): checks who may receive it, appends it to the durable
// stream, answers RECEIPT delivered_to_server once it is committed (never
// before), then hands it to the recipients' devices and to the sender's
// other devices. A repeated (from.user_id, message_id) gets the same answer
// and is not delivered again (wire profile 6). A `schedule_time` in the
// future holds the message until then. docs/messaging.md.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/messaging/direct_message_rules.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

class MessageTimers;

class MessageHandler final : public Handler {
 public:
  MessageHandler(MessageDelivery& delivery, DirectMessageRules rules, MessageTimers& timers)
      : delivery_(delivery), rules_(rules), timers_(timers) {}
  void handle(Request& request) override;

 private:
  // A MESSAGE with a schedule_time in the future: held, then released by the timers.
  void hold(Request& request, std::int64_t deliver_at_ms);

  MessageDelivery& delivery_;
  DirectMessageRules rules_;
  MessageTimers& timers_;
};

}  // namespace qsip::server
