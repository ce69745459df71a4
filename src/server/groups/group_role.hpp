// The four roles of a group member (draft 5.14 `role`), ranked
// owner > admin > moderator > member, and their wire names. docs/groups.md.
#pragma once

#include <optional>
#include <string_view>

namespace qsip::server {

// Declared in rank order: a larger value outranks a smaller one.
enum class GroupRole { kMember = 0, kModerator = 1, kAdmin = 2, kOwner = 3 };

std::string_view role_name(GroupRole role);
// nullopt for anything but "owner", "admin", "moderator", "member".
std::optional<GroupRole> parse_role(std::string_view name);

}  // namespace qsip::server
