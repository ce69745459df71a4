// The GROUP actions as one decision over the store: look the group and the
// actor's role up, apply the permission matrix and the state rules, write,
// and say what to answer and what to tell whom. Changes run on the writer
// thread inside one task, so a check and its write cannot interleave with
// another worker's change; get_info and list_members only read, on the
// worker's own connection. No I/O here: the handler sends what this decides.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error_registry.hpp"
#include "server/audit/audit_event.hpp"
#include "server/groups/group_notice.hpp"
#include "server/groups/group_request.hpp"
#include "server/groups/group_store.hpp"

namespace qsip::server {

struct GroupOutcome {
  std::optional<core::ErrorCode> error;  // set: nothing was written
  std::string detail;                    // names the field, for the ERROR
  std::string status = "ok";             // the RECEIPT's status ("pending" for a join request)
  std::string receipt_json;              // members added to the RECEIPT: an object, or empty
  std::string data_json;                 // get_info / list_members: the answer's payload
  std::vector<GroupNotice> notices;
  std::vector<AuditEvent> audits;  // appended in the same writer task (group_audit.hpp)
};

// Whether `user_id` has an account (4041 for an unknown invitee otherwise).
using AccountCheck = std::function<bool(const std::string& user_id)>;

// Whether `user_id` is banned from `group_id` (moderation, docs/moderation.md):
// nullopt when not, else when the ban ends ("until ..."), for the detail of
// the 4031 that join, invite and approve_join get while it lasts. Empty
// function: nobody is banned.
using BanCheck = std::function<std::optional<std::string>(const std::string& group_id, const std::string& user_id)>;

// get_info and list_members: answered with data, nothing written.
bool is_read_action(GroupAction action);

GroupOutcome apply_group_action(GroupStore& store, const GroupRequest& request, const AccountCheck& has_account,
                               const BanCheck& banned = {});

}  // namespace qsip::server
