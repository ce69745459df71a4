// A user's profile as the server keeps it (draft 5.25): any fields the user
// set, each kept as the JSON value it was given, the visibility the user
// chose per field group, and when its custom status expires.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "server/profile/field_visibility.hpp"

namespace qsip::server {

struct Profile {
  std::map<std::string, std::string> fields;    // name -> JSON text of the value
  std::map<FieldGroup, Visibility> visibility;  // only the groups the user set
  std::int64_t status_expires_at_ms = 0;        // 0: the custom status does not expire

  Visibility visibility_of(FieldGroup group) const;
};

// The fields that make up the custom status; they expire together.
inline constexpr const char* kCustomStatusFields[] = {"custom_status_emoji", "custom_status_text",
                                                      "custom_status_expires_at"};

// Clears the custom status when its expiry is at or before `now_ms`.
// Returns true when it did.
bool clear_expired_status(Profile& profile, std::int64_t now_ms);

}  // namespace qsip::server
