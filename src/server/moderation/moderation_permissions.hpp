// Who may moderate (docs/moderation.md "Authorization"), as one decision
// that the actions and the tests read:
// - group actions (mute, unmute, kick, ban, unban, delete_message in a
//   group, warn_user about a group): moderator or above in the group, and
//   (but for warnings) above the target, owners acting on anyone (groups'
//   outranks()); a non-member gets 4031, a lower role 4014;
// - server administrators (`[auth] server_admins`) may do every action
//   anywhere, on anyone;
// - suspend_user_account, and warn_user or delete_message outside any
//   group, are for server administrators only (4014).
#pragma once

#include <optional>
#include <string>

#include "core/error_registry.hpp"
#include "server/groups/group_role.hpp"
#include "server/moderation/moderation_request.hpp"

namespace qsip::server {

// The actor as the group it acts in sees it.
struct ModeratorStanding {
  std::optional<GroupRole> role;  // in the target group; nullopt: not a member
  bool server_admin = false;
};

// THE decision of who may moderate a group, and with which rank: the rank
// the actor moderates with (server administrators moderate as owners do,
// so they act on anyone), nullopt when it holds none there. Every group
// check goes through here, so a new kind of administrator (of a workspace,
// say) is one more line here.
std::optional<GroupRole> moderating_rank(const ModeratorStanding& actor);

struct ModerationRefusal {
  core::ErrorCode code;
  std::string detail;  // names the field
};

// nullopt: allowed. `group_id` empty: the action names no group.
// `target_role`: the target's role in the group (nullopt: not a member, or
// no group); for delete_message, the author's.
std::optional<ModerationRefusal> moderation_refusal(ModerationAction action, const std::string& group_id,
                                                    const ModeratorStanding& actor,
                                                    std::optional<GroupRole> target_role,
                                                    const std::string& target_user_id);

}  // namespace qsip::server
