#include "server/roster/roster_queries.hpp"

#include "server/roster/roster_store.hpp"

namespace qsip::server {

bool is_blocked(store::SqliteDatabase& db, const std::string& user, const std::string& by_user) {
  db.end_open_reads();
  return RosterStore(db).is_blocked(user, by_user);
}

bool are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b) {
  db.end_open_reads();
  RosterStore roster(db);
  return roster.subscription(a, b) == SubscriptionState::kApproved ||
         roster.subscription(b, a) == SubscriptionState::kApproved;
}

}  // namespace qsip::server
