// ROSTER (draft 5.29) and its subscription actions (docs/presence.md):
// `list` is read on the worker's own connection; the other actions run as
// one check-and-write task on the store's writer and are answered once
// committed, then told to the user's other devices (16.3), to the contact
// (subscription_request, subscription_approved, deny) and to presence.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/roster/subscription_listener.hpp"

namespace qsip::server {

class RosterHandler final : public Handler {
 public:
  explicit RosterHandler(SubscriptionListener* listener = nullptr) : listener_(listener) {}
  void handle(Request& request) override;

 private:
  void list(Request& request);
  SubscriptionListener* listener_;
};

}  // namespace qsip::server
