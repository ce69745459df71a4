// SEARCH action "user": accounts found by user id or display name, prefix
// or substring, ignoring ASCII case. A user's display name is the one in
// its profile (USER_PROFILE display_name) or, when it set none, the one
// its account was created with; either way it belongs to the profile's
// "basic" field group, so it is matched and shown only when that group is
// visible to the searcher (field_visibility.hpp: everyone, contacts through
// ContactCheck, nobody). User ids are addresses and always searchable.
// Suspended accounts are not listed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/profile/contact_check.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct UserHit {
  std::string user_id;
  std::string display_name;  // empty when the user has none or the searcher may not see it
};

struct UserPage {
  std::vector<UserHit> hits;
  std::int64_t total = 0;  // every match among the candidates looked at
};

// Candidates are ranked (exact id or name, id prefix, name prefix, id
// substring, name substring; then by user id) and at most this many are
// looked at: a substring match cannot use an index, and a one-letter query
// would otherwise read every account.
inline constexpr std::int64_t kMaxUserCandidates = 1000;

// The page [offset, offset + limit) of the users matching `query` as
// `searcher` may see them. `now_seconds` decides whether a suspension with
// an end date still holds. Reads on `reader` (users, profiles and, for
// "contacts", the roster); throws store::StoreError.
UserPage search_users(store::SqliteDatabase& reader, ContactCheck& contacts, const std::string& searcher,
                      std::string_view query, std::int64_t limit, std::int64_t offset, std::int64_t now_seconds);

}  // namespace qsip::server
