// The audit events of groups, channels and workspaces (draft 12; the
// `audit_events` table of src/server/audit): creations, deletions and role
// changes. Actions put them in their outcome; the handler appends them in
// the same writer task as the change, so a change and its audit row commit
// together.
#pragma once

#include <string>
#include <string_view>

#include "server/audit/audit_event.hpp"

namespace qsip::server {

inline constexpr const char* kAuditGroupCreated = "group_created";
inline constexpr const char* kAuditGroupDeleted = "group_deleted";
inline constexpr const char* kAuditRoleChanged = "role_changed";
inline constexpr const char* kAuditChannelCreated = "channel_created";
inline constexpr const char* kAuditChannelDeleted = "channel_deleted";
inline constexpr const char* kAuditWorkspaceCreated = "workspace_created";
inline constexpr const char* kAuditWorkspaceDeleted = "workspace_deleted";

// An event by `actor` on a resource ("group", "channel", "workspace");
// `details_json` an object (the role, the target user ...). The handler adds
// the device and the address.
AuditEvent audit_event(const char* event_type, std::string_view actor, std::string_view resource_type,
                       std::string_view resource_id, std::string details_json = "{}");

}  // namespace qsip::server
