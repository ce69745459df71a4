#include "server/groups/group_audit.hpp"

namespace qsip::server {

AuditEvent audit_event(const char* event_type, std::string_view actor, std::string_view resource_type,
                       std::string_view resource_id, std::string details_json) {
  AuditEvent event;
  event.event_type = event_type;
  event.actor_user_id = std::string(actor);
  event.target_resource_type = std::string(resource_type);
  event.target_resource_id = std::string(resource_id);
  event.details_json = std::move(details_json);
  return event;
}

}  // namespace qsip::server
