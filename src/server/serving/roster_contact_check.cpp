#include "server/serving/roster_contact_check.hpp"

#include <algorithm>

#include "server/roster/roster_queries.hpp"
#include "server/roster/roster_store.hpp"

namespace qsip::server {

bool RosterContactCheck::are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b) {
  return server::are_contacts(db, a, b);
}

std::vector<std::string> RosterContactCheck::contacts_of(store::SqliteDatabase& db, const std::string& user) {
  RosterStore roster(db);
  std::vector<std::string> ids = roster.watchers(user);
  std::vector<std::string> watching = roster.watching(user);
  ids.insert(ids.end(), std::make_move_iterator(watching.begin()), std::make_move_iterator(watching.end()));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace qsip::server
