// MESSAGE_ACTION (draft 5.12): edit and delete, by the message's author only
// (moderators delete through message_deletion.hpp). The action is stored in the
// stream, so it reaches every device that got the original, offline ones
// included; the message's edit history is kept (deletion removes content,
// history and reactions). Answered RECEIPT `ok` once committed.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

class MessageActionHandler final : public Handler {
 public:
  explicit MessageActionHandler(MessageDelivery& delivery) : delivery_(delivery) {}
  void handle(Request& request) override;

 private:
  MessageDelivery& delivery_;
};

}  // namespace qsip::server
