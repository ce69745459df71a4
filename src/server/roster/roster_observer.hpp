// Subscription requests wait in the store until answered: a user gets every
// one still pending on each device right after its REGISTER (as an XMPP
// server re-sends pending requests at each login), so requests made while
// it was offline reach it.
#pragma once

#include "server/dispatch/session_observer.hpp"

namespace qsip::server {

class RosterObserver final : public SessionObserver {
 public:
  void on_registered(ClientSession& session) override;
};

}  // namespace qsip::server
