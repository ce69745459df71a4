// At each REGISTER, the workspace invitations still waiting for the user
// are told again (as GROUP invitations are), so an invitee that was offline
// learns of them.
#pragma once

#include "server/dispatch/session_observer.hpp"

namespace qsip::server {

class WorkspaceObserver final : public SessionObserver {
 public:
  void on_registered(ClientSession& session) override;
};

}  // namespace qsip::server
