// What the workspaces module asks of the groups module when a workspace
// changes: its groups and channels go with it, and a member who leaves (or
// is kicked from) a workspace leaves its groups and channels. Each returns
// the GROUP notices to send; they run inside the workspace's writer task.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/audit/audit_event.hpp"
#include "server/groups/group_notice.hpp"
#include "server/groups/group_store.hpp"

namespace qsip::server {

// Deletes every live group and channel of the workspace (tombstones, as
// GROUP delete does), telling their members, invitees and requesters
// `group_deleted`; one audit event each. Returns how many went.
std::size_t delete_workspace_groups(GroupStore& store, const std::string& workspace_id, const std::string& by,
                                    std::int64_t now_ms, std::vector<GroupNotice>& notices,
                                    std::vector<AuditEvent>& audits);

// Removes `user` from every group and channel of the workspace (and drops
// its invitations and join requests there), telling each one's remaining
// members and the user `member_left` with `reason` ("left" or "kicked",
// then `by`). The workspace's admins still administer a group left without
// an owner.
void leave_workspace_groups(GroupStore& store, const std::string& workspace_id, const std::string& user,
                            const std::string& reason, const std::string& by, std::vector<GroupNotice>& notices);

}  // namespace qsip::server
