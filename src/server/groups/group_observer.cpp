#include "server/groups/group_observer.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/groups/group_notice.hpp"
#include "server/groups/group_store.hpp"
#include "server/roster/server_message.hpp"

namespace qsip::server {

void GroupObserver::on_registered(ClientSession& session) {
  auto& context = session.context();
  if (!context.reader) return;
  const auto& user = session.user_id();
  std::vector<std::string> payloads;
  try {
    context.reader->end_open_reads();
    GroupStore groups(*context.reader);
    for (const auto& invitation : groups.invitations_for(user))
      if (auto group = groups.group(invitation.group_id))
        payloads.push_back(invited_to_group_payload(*group, invitation.invited_by));
    for (const auto& request : groups.join_requests_for_approver(user))
      payloads.push_back(join_requested_payload(request.group_id, request.user_id));
  } catch (const std::exception&) {
    return;  // a store failure must not fail the registration; the next one retries
  }
  for (const auto& payload : payloads)
    session.push(server_message_frame(context.identity, "GROUP", user, payload), Delivery::kReliable);
}

}  // namespace qsip::server
