// What other modules ask of the roster: is a sender blocked (MESSAGE and
// INVITE answer 4033 TargetUserBlocked), and are two users contacts (with
// `[roster] require_contact_for_direct_messages`, a direct message between
// non-contacts is answered 4032 UserNotOnRoster). docs/presence.md.
#pragma once

#include <string>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// True when `by_user` has blocked `user`.
bool is_blocked(store::SqliteDatabase& db, const std::string& user, const std::string& by_user);

// True when an approved presence subscription links `a` and `b` in either
// direction: one asked and the other consented, which is what "contacts"
// means for delivery rules (a one-sided roster entry is not consent). Never
// true while either has blocked the other (blocking ends subscriptions).
bool are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b);

}  // namespace qsip::server
