#include "server/profile/profile.hpp"

namespace qsip::server {

Visibility Profile::visibility_of(FieldGroup group) const {
  auto it = visibility.find(group);
  return it == visibility.end() ? default_visibility(group) : it->second;
}

bool clear_expired_status(Profile& profile, std::int64_t now_ms) {
  if (profile.status_expires_at_ms == 0 || profile.status_expires_at_ms > now_ms) return false;
  for (const char* field : kCustomStatusFields) profile.fields.erase(field);
  profile.status_expires_at_ms = 0;
  return true;
}

}  // namespace qsip::server
