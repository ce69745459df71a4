#include "server/groups/notice_delivery.hpp"

#include "server/audit/audit_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/roster/server_message.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

void append_audits(store::SqliteDatabase& db, std::vector<AuditEvent>& audits, const ClientSession& session) {
  for (auto& event : audits) {
    event.actor_device_id = session.device_id();
    event.ip_address = session.peer_address();
    append_audit_event(db, event);
  }
}

void send_notices(WorkerContext& context, std::string_view type, const std::vector<GroupNotice>& notices,
                  std::uint64_t except) {
  if (!context.directory || !context.mailer) return;
  for (const auto& notice : notices) {
    std::string_view to = notice.recipients.size() == 1 ? std::string_view(notice.recipients.front()) : std::string_view();
    auto frame = server_message_frame(context.identity, type, to, notice.payload_json);
    for (const auto& user : notice.recipients)
      send_to_user(*context.directory, *context.mailer, user, frame, Delivery::kReliable, except);
  }
}

}  // namespace qsip::server
