// SYNC request (draft 5.26, 16.2): a page of message history as the
// requester sees it now, edits, deletions, reactions and states included,
// answered with SYNC `response` (wire profile 4). A new device fills its
// history this way. The parameters ride in `payload.data`
// (docs/messaging.md "SYNC").
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

class SyncHandler final : public Handler {
 public:
  explicit SyncHandler(MessageDelivery& delivery) : delivery_(delivery) {}
  void handle(Request& request) override;

  static constexpr std::size_t kDefaultLimit = 50;
  static constexpr std::size_t kMaxLimit = 500;

 private:
  MessageDelivery& delivery_;
};

}  // namespace qsip::server
