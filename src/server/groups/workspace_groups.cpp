#include "server/groups/workspace_groups.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "server/groups/group_audit.hpp"

namespace qsip::server {

std::size_t delete_workspace_groups(GroupStore& store, const std::string& workspace_id, const std::string& by,
                                    std::int64_t now_ms, std::vector<GroupNotice>& notices,
                                    std::vector<AuditEvent>& audits) {
  const auto groups = store.groups_in_workspace(workspace_id);
  std::string details;
  core::JsonWriter(details).begin_object().member("reason", "workspace_deleted").member("workspace_id", workspace_id).end_object();
  for (const auto& g : groups) {
    std::vector<std::string> told = store.member_ids(g.group_id);
    for (auto& user : store.invitees(g.group_id)) told.push_back(std::move(user));
    for (auto& user : store.requesters(g.group_id))
      if (std::find(told.begin(), told.end(), user) == told.end()) told.push_back(std::move(user));
    store.delete_group(g.group_id, now_ms);
    audits.push_back(audit_event(g.is_channel ? kAuditChannelDeleted : kAuditGroupDeleted, by,
                                 g.is_channel ? "channel" : "group", g.group_id, details));
    if (!told.empty()) notices.push_back({std::move(told), group_deleted_payload(g.group_id, by)});
  }
  return groups.size();
}

void leave_workspace_groups(GroupStore& store, const std::string& workspace_id, const std::string& user,
                            const std::string& reason, const std::string& by, std::vector<GroupNotice>& notices) {
  for (const auto& g : store.groups_in_workspace(workspace_id)) {
    store.remove_invitation(g.group_id, user);
    store.remove_join_request(g.group_id, user);
    if (!store.remove_member(g.group_id, user)) continue;
    auto told = store.member_ids(g.group_id);
    told.push_back(user);
    notices.push_back({std::move(told), member_left_payload(g.group_id, user, reason, reason == "kicked" ? by : "")});
  }
}

}  // namespace qsip::server
