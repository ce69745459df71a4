#include "server/profile/profile_view.hpp"

#include "core/json_writer.hpp"

namespace qsip::server {

bool visible_to(const Profile& profile, FieldGroup group, Audience audience) {
  if (audience == Audience::kOwner) return true;
  switch (profile.visibility_of(group)) {
    case Visibility::kEveryone: return true;
    case Visibility::kContacts: return audience == Audience::kContact;
    case Visibility::kNobody: return false;
  }
  return false;
}

std::string profile_data_json(const Profile& profile, Audience audience) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  for (const auto& [name, value] : profile.fields)
    if (visible_to(profile, group_of(name), audience)) w.key(name).raw(value);
  if (audience == Audience::kOwner) {
    w.key("visibility").begin_object();
    for (auto group : kFieldGroups) w.member(to_string(group), to_string(profile.visibility_of(group)));
    w.end_object();
  }
  w.end_object();
  return out;
}

bool any_visible(const Profile& profile, const std::vector<std::string>& fields, Audience audience) {
  for (const auto& f : fields)
    if (visible_to(profile, group_of(f), audience)) return true;
  return false;
}

}  // namespace qsip::server
