#include "server/roster/roster_queries.hpp"

#include "server/roster/fresh_reads.hpp"
#include "server/roster/roster_store.hpp"

namespace qsip::server {

bool is_blocked(store::SqliteDatabase& db, const std::string& user, const std::string& by_user) {
  end_open_reads(db);
  return RosterStore(db).is_blocked(user, by_user);
}

bool are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b) {
  end_open_reads(db);
  RosterStore roster(db);
  return roster.subscription(a, b) == SubscriptionState::kApproved ||
         roster.subscription(b, a) == SubscriptionState::kApproved;
}

}  // namespace qsip::server
