// The profile module's ContactCheck answered by the roster: two users are
// contacts when an approved presence subscription links them in either
// direction (docs/presence.md), so "contacts" profile fields follow exactly
// the consent that presence follows.
#pragma once

#include <string>
#include <vector>

#include "server/profile/contact_check.hpp"

namespace qsip::server {

class RosterContactCheck final : public ContactCheck {
 public:
  bool are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b) override;
  std::vector<std::string> contacts_of(store::SqliteDatabase& db, const std::string& user) override;
};

}  // namespace qsip::server
