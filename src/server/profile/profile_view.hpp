// A profile as one reader may see it: the owner sees every field and its
// visibility settings; a contact sees the groups visible to everyone or to
// contacts; anyone else the groups visible to everyone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/profile/profile.hpp"

namespace qsip::server {

enum class Audience : std::uint8_t { kOwner, kContact, kOther };

bool visible_to(const Profile& profile, FieldGroup group, Audience audience);

// The `profile_data` object for `audience`. The owner's includes
// `visibility` with the level of every group (defaults included).
std::string profile_data_json(const Profile& profile, Audience audience);

// True when any of `fields` is visible to `audience`.
bool any_visible(const Profile& profile, const std::vector<std::string>& fields, Audience audience);

}  // namespace qsip::server
