#include "server/presence/presence_observer.hpp"

#include "server/dispatch/client_session.hpp"

namespace qsip::server {

void PresenceObserver::on_registered(ClientSession& session) { fanout_.snapshot(session); }

void PresenceObserver::on_unregistered(ClientSession& session) {
  auto change = table_.leave(session.user_id(), session.device_id(), session.connection_id(), ServerIdentity::now());
  fanout_.changed(session.context(), session.user_id(), session.device_id(), change, session.connection_id());
}

}  // namespace qsip::server
