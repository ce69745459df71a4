// What GROUP, CHANNEL and WORKSPACE handlers do after a change: append the
// outcome's audit events in the writer task that made the change, and send
// the outcome's notices to every device of each recipient (16.3).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/audit/audit_event.hpp"
#include "server/groups/group_notice.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

class ClientSession;
struct WorkerContext;

// Stamps each event with the session's device and address and appends it
// (on the writer's connection, inside the change's task).
void append_audits(store::SqliteDatabase& db, std::vector<AuditEvent>& audits, const ClientSession& session);

// One frame of `type` per notice, shared by every recipient; `to` names the
// user when there is only one. The connection `except` (the requester's: it
// has the answer) is skipped.
void send_notices(WorkerContext& context, std::string_view type, const std::vector<GroupNotice>& notices,
                  std::uint64_t except);

}  // namespace qsip::server
