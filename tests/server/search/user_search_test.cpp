// User search over real accounts and profiles tables: prefix and substring
// matches on ids and display names, case-insensitive, ranked; a display
// name only where the profile's basic group is visible to the searcher;
// suspended accounts left out.
#include "server/search/user_search.hpp"

#include <gtest/gtest.h>

#include "search_fixture.hpp"

using namespace qsip::server;
using qsip::server::testing::FakeContacts;
using qsip::server::testing::SearchDb;

namespace {

constexpr std::int64_t kNow = 1'750'000'000;

class UserSearchTest : public ::testing::Test {
 protected:
  UserPage search(const std::string& searcher, const std::string& query, std::int64_t limit = 20,
                  std::int64_t offset = 0) {
    return search_users(db.db(), contacts, searcher, query, limit, offset, kNow);
  }
  // "id" or "id (name)" per hit.
  std::vector<std::string> found(const std::string& searcher, const std::string& query) {
    std::vector<std::string> out;
    for (const auto& h : search(searcher, query).hits)
      out.push_back(h.display_name.empty() ? h.user_id : h.user_id + " (" + h.display_name + ")");
    return out;
  }
  SearchDb db;
  FakeContacts contacts;
};

using Found = std::vector<std::string>;

}  // namespace

TEST_F(UserSearchTest, ByIdAndDisplayNamePrefixOrSubstringIgnoringCase) {
  db.user("u-alan");
  db.profile("u-alan", "Alan Turing");
  db.user("u-ada", "Ada Lovelace");  // a name from the account only (no profile)
  db.user("u-zed");
  EXPECT_EQ(found("u-zed", "u-al"), (Found{"u-alan (Alan Turing)"}));
  EXPECT_EQ(found("u-zed", "ALAN"), (Found{"u-alan (Alan Turing)"}));
  EXPECT_EQ(found("u-zed", "turing"), (Found{"u-alan (Alan Turing)"}));
  EXPECT_EQ(found("u-zed", "lovelace"), (Found{"u-ada (Ada Lovelace)"}));
  EXPECT_EQ(found("u-zed", "  ada  "), (Found{"u-ada (Ada Lovelace)"}));
  EXPECT_TRUE(found("u-zed", "grace").empty());
  EXPECT_TRUE(found("u-zed", "   ").empty());
}

TEST_F(UserSearchTest, TheProfileNameReplacesTheAccountName) {
  db.user("u-bea", "Beatrice Old");
  db.profile("u-bea", "Bea New");
  db.user("u-zed");
  EXPECT_EQ(found("u-zed", "bea"), (Found{"u-bea (Bea New)"}));
  EXPECT_TRUE(found("u-zed", "old").empty());
}

TEST_F(UserSearchTest, RankedExactThenIdPrefixThenNamePrefixThenSubstrings) {
  db.user("sam");                      // exact id
  db.user("sam-2");                    // id prefix
  db.user("u-x", "Samantha");          // name prefix
  db.user("u-samuel");                 // id substring
  db.user("u-y", "Old Sam's friend");  // name substring
  db.user("u-zed");
  EXPECT_EQ(found("u-zed", "Sam"),
            (Found{"sam", "sam-2", "u-x (Samantha)", "u-samuel", "u-y (Old Sam's friend)"}));
}

TEST_F(UserSearchTest, ANameVisibleToNobodyIsNeitherMatchedNorShown) {
  db.user("u-quentin");
  db.profile("u-quentin", "Secret Agent", Visibility::kNobody);
  db.user("u-zed");
  EXPECT_TRUE(found("u-zed", "secret").empty());
  // Still found by id, without the name.
  EXPECT_EQ(found("u-zed", "u-quen"), (Found{"u-quentin"}));
  // The owner sees its own.
  EXPECT_EQ(found("u-quentin", "secret"), (Found{"u-quentin (Secret Agent)"}));
}

TEST_F(UserSearchTest, ANameVisibleToContactsIsFoundByContactsOnly) {
  db.user("u-c1");
  db.profile("u-c1", "Caroline", Visibility::kContacts);
  db.user("u-friend");
  db.user("u-stranger");
  contacts.add("u-c1", "u-friend");
  EXPECT_EQ(found("u-friend", "caroline"), (Found{"u-c1 (Caroline)"}));
  EXPECT_TRUE(found("u-stranger", "caroline").empty());
}

TEST_F(UserSearchTest, TheRosterIsAskedOnlyForNamesVisibleToContacts) {
  db.user("u-a", "Anna Public");
  db.user("u-b");
  db.profile("u-b", "Anna Hidden", Visibility::kNobody);
  db.user("u-zed");
  EXPECT_EQ(found("u-zed", "anna"), (Found{"u-a (Anna Public)"}));
  EXPECT_EQ(contacts.asked, 0);
}

TEST_F(UserSearchTest, SuspendedAccountsAreNotListedUntilTheSuspensionEnds) {
  db.user("u-susp-forever");
  db.user("u-susp-later");
  db.user("u-susp-over");
  db.user("u-zed");
  AccountStore accounts(db.db());
  accounts.set_suspended("u-susp-forever", true);
  accounts.set_suspended("u-susp-later", true, kNow + 60);
  accounts.set_suspended("u-susp-over", true, kNow - 60);
  EXPECT_EQ(found("u-zed", "u-susp"), (Found{"u-susp-over"}));
}

TEST_F(UserSearchTest, LikeWildcardsInTheQueryAreOrdinaryCharacters) {
  db.user("u-100%");
  db.user("u-1000");
  db.user("a_b");
  db.user("axb");
  db.user("u-zed");
  EXPECT_EQ(found("u-zed", "100%"), (Found{"u-100%"}));
  EXPECT_EQ(found("u-zed", "a_b"), (Found{"a_b"}));
}

TEST_F(UserSearchTest, PagesWithLimitAndOffsetAndCountsEveryMatch) {
  for (int i = 0; i < 5; ++i) db.user("u-page-" + std::to_string(i));
  auto first = search("u-zed", "u-page", 2, 0);
  EXPECT_EQ(first.total, 5);
  ASSERT_EQ(first.hits.size(), 2u);
  EXPECT_EQ(first.hits[0].user_id, "u-page-0");
  auto last = search("u-zed", "u-page", 2, 4);
  ASSERT_EQ(last.hits.size(), 1u);
  EXPECT_EQ(last.hits[0].user_id, "u-page-4");
  EXPECT_TRUE(search("u-zed", "u-page", 2, 10).hits.empty());
}
