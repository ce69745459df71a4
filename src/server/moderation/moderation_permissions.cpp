#include "server/moderation/moderation_permissions.hpp"

#include "server/groups/group_permissions.hpp"

namespace qsip::server {

using core::ErrorCode;

std::optional<GroupRole> moderating_rank(const ModeratorStanding& actor) {
  if (actor.server_admin) return GroupRole::kOwner;
  return actor.role;
}

std::optional<ModerationRefusal> moderation_refusal(ModerationAction action, const std::string& group_id,
                                                    const ModeratorStanding& actor,
                                                    std::optional<GroupRole> target_role,
                                                    const std::string& target_user_id) {
  const std::string name(moderation_action_name(action));
  if (action == ModerationAction::kSuspend) {
    if (actor.server_admin) return std::nullopt;
    return ModerationRefusal{ErrorCode::kInsufficientPermissions,
                             "payload.action: suspend_user_account is for server administrators"};
  }
  if (group_id.empty()) {
    if (actor.server_admin) return std::nullopt;
    return ModerationRefusal{ErrorCode::kInsufficientPermissions,
                             "payload.target_group_id: without a group, " + name + " is for server administrators"};
  }
  auto rank = moderating_rank(actor);
  if (!rank)
    return ModerationRefusal{ErrorCode::kForbidden, "payload.target_group_id: you are not a member of " + group_id};
  if (*rank < GroupRole::kModerator)
    return ModerationRefusal{ErrorCode::kInsufficientPermissions,
                             "payload.action: " + name + " needs the moderator role or above in " + group_id +
                                 "; you are " + std::string(role_name(*rank))};
  // A warning only tells; everything else acts on someone of lower rank.
  if (action != ModerationAction::kWarn && target_role && !outranks(*rank, *target_role))
    return ModerationRefusal{ErrorCode::kInsufficientPermissions,
                             std::string(action == ModerationAction::kDeleteMessage ? "payload.target_message_id: its author "
                                                                                    : "payload.target_user_id: ") +
                                 target_user_id + " is " + std::string(role_name(*target_role)) + ", not below you"};
  return std::nullopt;
}

}  // namespace qsip::server
