#include "server/search/user_search.hpp"

#include <algorithm>

#include "server/profile/profile_store.hpp"
#include "server/profile/profile_view.hpp"

namespace qsip::server {
namespace {

// Match classes, best first; kNoMatch never reaches a result.
constexpr int kNoMatch = 9;

// Candidates with the class of their id and of their name computed apart:
// whether the name counts is decided afterwards, per searcher, by the
// profile's visibility. SQLite's lower() and LIKE fold ASCII letters only,
// the same for every comparison here. ?1 the query, ?2 'query%', ?3
// '%query%' (LIKE-escaped), ?4 now (s), ?5 the candidate bound.
constexpr const char* kCandidatesSql = R"sql(
  SELECT user_id, name, id_class, name_class FROM (
    SELECT user_id, name,
      CASE WHEN lower(user_id) = lower(?1) THEN 0 WHEN user_id LIKE ?2 ESCAPE '\' THEN 1
           WHEN user_id LIKE ?3 ESCAPE '\' THEN 3 ELSE 9 END AS id_class,
      CASE WHEN name = '' THEN 9 WHEN lower(name) = lower(?1) THEN 0 WHEN name LIKE ?2 ESCAPE '\' THEN 2
           WHEN name LIKE ?3 ESCAPE '\' THEN 4 ELSE 9 END AS name_class
    FROM (
      SELECT u.user_id AS user_id,
        coalesce(CASE WHEN json_type(p.fields, '$.display_name') = 'text'
                      THEN json_extract(p.fields, '$.display_name') END, u.display_name) AS name
      FROM users u LEFT JOIN profiles p ON p.user_id = u.user_id
      WHERE NOT (u.suspended != 0 AND (u.suspended_until = 0 OR u.suspended_until > ?4))))
  WHERE min(id_class, name_class) < 9
  ORDER BY min(id_class, name_class), user_id
  LIMIT ?5)sql";

struct Candidate {
  std::string user_id;
  std::string name;
  int id_class = kNoMatch;
  int name_class = kNoMatch;
  int match_class = kNoMatch;
};

std::string like_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

std::string_view trimmed(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// Whether `searcher` may see `user`'s display name: the profile module's
// own rule for the basic group; the roster is asked only when the group is
// visible to contacts.
bool name_visible(store::SqliteDatabase& reader, ContactCheck& contacts, const std::string& searcher,
                  const std::string& user) {
  if (user == searcher) return true;
  Profile profile = ProfileStore(reader).load(user);
  auto audience = profile.visibility_of(FieldGroup::kBasic) == Visibility::kContacts &&
                          contacts.are_contacts(reader, searcher, user)
                      ? Audience::kContact
                      : Audience::kOther;
  return visible_to(profile, FieldGroup::kBasic, audience);
}

}  // namespace

UserPage search_users(store::SqliteDatabase& reader, ContactCheck& contacts, const std::string& searcher,
                      std::string_view query, std::int64_t limit, std::int64_t offset, std::int64_t now_seconds) {
  UserPage page;
  query = trimmed(query);
  if (query.empty()) return page;
  const std::string escaped = like_escaped(query);

  std::vector<Candidate> candidates;
  auto& q = reader.cached(kCandidatesSql);
  q.bind(1, query).bind(2, escaped + "%").bind(3, "%" + escaped + "%").bind(4, now_seconds);
  q.bind(5, kMaxUserCandidates);
  while (q.step())
    candidates.push_back({q.text(0), q.text(1), static_cast<int>(q.integer(2)), static_cast<int>(q.integer(3))});

  std::vector<Candidate> matches;
  for (auto& c : candidates) {
    if (!c.name.empty() && !name_visible(reader, contacts, searcher, c.user_id)) {
      c.name.clear();
      c.name_class = kNoMatch;
    }
    c.match_class = std::min(c.id_class, c.name_class);
    if (c.match_class != kNoMatch) matches.push_back(std::move(c));
  }
  // A hidden name may have moved a candidate down: rank again.
  std::sort(matches.begin(), matches.end(), [](const Candidate& a, const Candidate& b) {
    return a.match_class != b.match_class ? a.match_class < b.match_class : a.user_id < b.user_id;
  });

  page.total = static_cast<std::int64_t>(matches.size());
  const auto first = std::min<std::size_t>(static_cast<std::size_t>(offset), matches.size());
  const auto last = std::min<std::size_t>(first + static_cast<std::size_t>(limit), matches.size());
  for (std::size_t i = first; i < last; ++i)
    page.hits.push_back({std::move(matches[i].user_id), std::move(matches[i].name)});
  return page;
}

}  // namespace qsip::server
