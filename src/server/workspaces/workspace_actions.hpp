// The WORKSPACE actions as one decision over the stores: look the workspace
// and the actor's role up, apply the matrix (workspace_permissions.hpp) and
// the state rules, write, and say what to answer and whom to tell. Changes
// run in one writer task (a workspace's groups and channels change in the
// same task: deleting a workspace deletes them, leaving it leaves them);
// get, list and list_members only read. No I/O here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error_registry.hpp"
#include "server/audit/audit_event.hpp"
#include "server/groups/group_notice.hpp"
#include "server/workspaces/workspace_request.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct WorkspaceOutcome {
  std::optional<core::ErrorCode> error;  // set: nothing was written
  std::string detail;
  std::string receipt_json;              // members added to the RECEIPT
  std::string data_json;                 // get, list, list_members: the answer's payload
  std::vector<GroupNotice> notices;        // WORKSPACE notices
  std::vector<GroupNotice> group_notices;  // GROUP notices (the workspace's groups and channels)
  std::vector<AuditEvent> audits;
};

// Whether `user_id` has an account (4041 for an unknown invitee otherwise).
using WorkspaceAccountCheck = std::function<bool(const std::string& user_id)>;

bool is_read_action(WorkspaceAction action);

// `db`: the writer's connection for changes, a reader for reads; both the
// workspaces' and the groups' tables are on it.
WorkspaceOutcome apply_workspace_action(store::SqliteDatabase& db, const WorkspaceRequest& request,
                                        const WorkspaceAccountCheck& has_account);

}  // namespace qsip::server
