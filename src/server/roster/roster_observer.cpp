#include "server/roster/roster_observer.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/roster/roster_notice.hpp"
#include "server/roster/roster_store.hpp"

namespace qsip::server {

void RosterObserver::on_registered(ClientSession& session) {
  auto& context = session.context();
  if (!context.reader) return;
  std::vector<std::string> pending;
  try {
    context.reader->end_open_reads();
    pending = RosterStore(*context.reader).pending_requests_to(session.user_id());
  } catch (const std::exception&) {
    return;  // a store failure must not fail the registration; the next one retries
  }
  for (const auto& requester : pending)
    session.push(roster_notice_frame(context.identity, session.user_id(), "subscription_request", requester),
                 Delivery::kReliable);
}

}  // namespace qsip::server
