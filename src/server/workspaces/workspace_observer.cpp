#include "server/workspaces/workspace_observer.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/roster/server_message.hpp"
#include "server/workspaces/workspace_notice.hpp"
#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

void WorkspaceObserver::on_registered(ClientSession& session) {
  auto& context = session.context();
  if (!context.reader) return;
  const auto& user = session.user_id();
  std::vector<std::string> payloads;
  try {
    context.reader->end_open_reads();
    WorkspaceStore workspaces(*context.reader);
    for (const auto& invitation : workspaces.invitations_for(user))
      if (auto workspace = workspaces.workspace(invitation.workspace_id))
        payloads.push_back(invited_to_workspace_payload(*workspace, invitation.invited_by));
    context.reader->end_open_reads();
  } catch (const std::exception&) {
    return;  // a store failure must not fail the registration; the next one retries
  }
  for (const auto& payload : payloads)
    session.push(server_message_frame(context.identity, "WORKSPACE", user, payload), Delivery::kReliable);
}

}  // namespace qsip::server
