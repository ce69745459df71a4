// Invitations and join requests wait in the store until answered: right
// after each REGISTER a device gets invited_to_group for every invitation
// its user has not answered, and join_requested for every request waiting
// in a group where its user may approve (as the roster re-sends pending
// subscription requests), so what happened while it was offline reaches it.
#pragma once

#include "server/dispatch/session_observer.hpp"

namespace qsip::server {

class GroupObserver final : public SessionObserver {
 public:
  void on_registered(ClientSession& session) override;
};

}  // namespace qsip::server
