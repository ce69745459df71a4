// Who may read which profile fields (draft 13: users control what others see
// of them). Fields fall into groups; the user sets one visibility per group
// with `profile_data.visibility` (docs/auth.md "Profiles").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace qsip::server {

enum class FieldGroup : std::uint8_t {
  kBasic,   // display_name, avatar_url, pronouns
  kStatus,  // custom_status_emoji, custom_status_text, custom_status_expires_at
  kWork,    // department, timezone
  kOther,   // every field the draft does not name
};
inline constexpr std::array<FieldGroup, 4> kFieldGroups = {FieldGroup::kBasic, FieldGroup::kStatus, FieldGroup::kWork,
                                                           FieldGroup::kOther};

enum class Visibility : std::uint8_t {
  kEveryone,  // any registered user
  kContacts,  // the user itself and its approved roster contacts
  kNobody,    // the user's own devices only
};

FieldGroup group_of(std::string_view field);
// Unless the user says otherwise: basic is public, the rest for contacts.
Visibility default_visibility(FieldGroup group);

std::optional<FieldGroup> parse_field_group(std::string_view name);
std::optional<Visibility> parse_visibility(std::string_view name);
std::string_view to_string(FieldGroup group);
std::string_view to_string(Visibility visibility);

}  // namespace qsip::server
