#include "server/profile/field_visibility.hpp"

namespace qsip::server {

FieldGroup group_of(std::string_view f) {
  if (f == "display_name" || f == "avatar_url" || f == "pronouns") return FieldGroup::kBasic;
  if (f == "custom_status_emoji" || f == "custom_status_text" || f == "custom_status_expires_at")
    return FieldGroup::kStatus;
  if (f == "department" || f == "timezone") return FieldGroup::kWork;
  return FieldGroup::kOther;
}

Visibility default_visibility(FieldGroup group) {
  return group == FieldGroup::kBasic ? Visibility::kEveryone : Visibility::kContacts;
}

std::optional<FieldGroup> parse_field_group(std::string_view name) {
  for (auto g : kFieldGroups)
    if (to_string(g) == name) return g;
  return std::nullopt;
}

std::optional<Visibility> parse_visibility(std::string_view name) {
  if (name == "everyone") return Visibility::kEveryone;
  if (name == "contacts") return Visibility::kContacts;
  if (name == "nobody") return Visibility::kNobody;
  return std::nullopt;
}

std::string_view to_string(FieldGroup group) {
  switch (group) {
    case FieldGroup::kBasic: return "basic";
    case FieldGroup::kStatus: return "status";
    case FieldGroup::kWork: return "work";
    case FieldGroup::kOther: return "other";
  }
  return "other";
}

std::string_view to_string(Visibility visibility) {
  switch (visibility) {
    case Visibility::kEveryone: return "everyone";
    case Visibility::kContacts: return "contacts";
    case Visibility::kNobody: return "nobody";
  }
  return "nobody";
}

}  // namespace qsip::server
