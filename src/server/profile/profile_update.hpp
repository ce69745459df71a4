// USER_PROFILE `set` (draft 5.25): merges `profile_data` into the stored
// profile. A field with a value replaces the stored one, a field set to null
// removes it, fields not named are kept. `visibility` is not a field: it
// sets the visibility of field groups ({"status": "nobody"}; null resets a
// group, or every group when `visibility` itself is null).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/failure.hpp"
#include "server/profile/profile.hpp"

namespace qsip::server {

// More fields than this in one profile are refused: a profile is not storage.
inline constexpr std::size_t kMaxProfileFields = 64;

struct ProfileChange {
  std::vector<std::string> fields;  // set or removed, in the order given
  bool visibility = false;          // a group's visibility changed
  bool empty() const { return fields.empty() && !visibility; }
};

// Applies `data` to `profile`. On failure (4001, the detail naming the
// member) `profile` is left as it was.
core::Outcome<ProfileChange> apply_profile_data(Profile& profile, simdjson::dom::object data);

}  // namespace qsip::server
