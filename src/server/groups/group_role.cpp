#include "server/groups/group_role.hpp"

namespace qsip::server {

std::string_view role_name(GroupRole role) {
  switch (role) {
    case GroupRole::kOwner: return "owner";
    case GroupRole::kAdmin: return "admin";
    case GroupRole::kModerator: return "moderator";
    case GroupRole::kMember: return "member";
  }
  return "member";
}

std::optional<GroupRole> parse_role(std::string_view name) {
  if (name == "owner") return GroupRole::kOwner;
  if (name == "admin") return GroupRole::kAdmin;
  if (name == "moderator") return GroupRole::kModerator;
  if (name == "member") return GroupRole::kMember;
  return std::nullopt;
}

}  // namespace qsip::server
