// The server-originated GROUP payloads (Appendix A.2, wire profile 8), one
// function each so that the names of actions and fields live in one place
// (docs/groups.md "Notices"). The section 5 action list of the type table is
// closed, so a metadata change is told with the request's own action,
// `update`, from the server (as ROSTER changes are told to other devices).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/groups/group_role.hpp"
#include "server/groups/group_store.hpp"

namespace qsip::server {

// A payload to send to every device of each recipient.
struct GroupNotice {
  std::vector<std::string> recipients;
  std::string payload_json;
};

std::string invited_to_group_payload(const GroupRecord& group, std::string_view inviter);
std::string member_joined_payload(const GroupRecord& group, std::string_view user, GroupRole role,
                                  std::string_view approved_by = {});
// reason "left" or "kicked" (then `by` names who kicked).
std::string member_left_payload(std::string_view group_id, std::string_view user, std::string_view reason,
                                std::string_view by = {});
std::string role_changed_payload(std::string_view group_id, std::string_view user, GroupRole role,
                                 GroupRole previous, std::string_view by);
std::string group_updated_payload(const GroupRecord& group, std::string_view by);
std::string group_deleted_payload(std::string_view group_id, std::string_view by);
std::string join_requested_payload(std::string_view group_id, std::string_view requester);
std::string join_denied_payload(std::string_view group_id, std::string_view requester, std::string_view by);

}  // namespace qsip::server
