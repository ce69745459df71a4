// RosterStore and the ROSTER action rules (apply_roster_action) over a real
// SQLite file: subscriptions, approval, denial, blocking, removal, and the
// queries other modules use (is_blocked, are_contacts).
#include "server/roster/roster_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/roster/roster_actions.hpp"
#include "server/roster/roster_queries.hpp"

using namespace qsip::server;
using namespace qsip::store;
using qsip::core::ErrorCode;

namespace {
class RosterTest : public ::testing::Test {
 protected:
  RosterTest()
      : path(std::filesystem::temp_directory_path() / ("qsip-roster-" + std::to_string(::getpid()) + ".db")),
        db(path.string(), SyncPolicy::kNormal),
        roster(db) {
    apply_migrations(db, "roster", roster_migrations());
  }
  ~RosterTest() override {
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
  }
  RosterOutcome act(const std::string& user, const std::string& action, const std::string& contact,
                    std::string info = "{}", bool account = true) {
    return apply_roster_action(roster, {user, action, contact, std::move(info), 100, account});
  }
  std::filesystem::path path;
  SqliteDatabase db;
  RosterStore roster;
};
}  // namespace

TEST_F(RosterTest, ContactsKeepTheirInfoAsGiven) {
  EXPECT_TRUE(roster.upsert_contact({"u-alice", "u-bob", R"({"display_name":"Bob","x":[1]})", 10, 10}));
  EXPECT_FALSE(roster.upsert_contact({"u-alice", "u-bob", R"({"display_name":"Bobby"})", 20, 20}));
  auto bob = roster.contact("u-alice", "u-bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->contact_info_json, R"({"display_name":"Bobby"})");
  EXPECT_EQ(bob->added_at, 10);
  EXPECT_TRUE(roster.update_contact("u-alice", "u-bob", "{}", 30));
  EXPECT_FALSE(roster.update_contact("u-alice", "u-carol", "{}", 30));
  EXPECT_EQ(roster.contacts("u-alice").size(), 1u);
  EXPECT_TRUE(roster.remove_contact("u-alice", "u-bob"));
  EXPECT_FALSE(roster.remove_contact("u-alice", "u-bob"));
}

TEST_F(RosterTest, AddSendsARequestAndApprovalMakesAOneWayWatcher) {
  auto added = act("u-alice", "add", "u-bob", R"({"display_name":"Bob"})");
  ASSERT_FALSE(added.error);
  ASSERT_EQ(added.notices.size(), 1u);
  EXPECT_EQ(added.notices[0].to_user, "u-bob");
  EXPECT_EQ(added.notices[0].action, "subscription_request");
  EXPECT_EQ(added.notices[0].contact_id, "u-alice");
  EXPECT_EQ(added.state.subscription, "none");
  EXPECT_TRUE(added.state.ask);
  EXPECT_EQ(roster.pending_requests_to("u-bob"), std::vector<std::string>{"u-alice"});
  EXPECT_TRUE(roster.watchers("u-bob").empty());

  auto approved = act("u-bob", "approve", "u-alice");
  ASSERT_FALSE(approved.error);
  EXPECT_EQ(approved.state.subscription, "from");  // alice sees bob; bob does not see alice
  ASSERT_EQ(approved.approved.size(), 1u);
  EXPECT_EQ(approved.approved[0].watcher, "u-alice");
  EXPECT_EQ(approved.approved[0].watched, "u-bob");
  ASSERT_EQ(approved.notices.size(), 1u);
  EXPECT_EQ(approved.notices[0].action, "subscription_approved");
  EXPECT_EQ(roster.watchers("u-bob"), std::vector<std::string>{"u-alice"});
  EXPECT_TRUE(roster.watchers("u-alice").empty());
  EXPECT_TRUE(roster.contact("u-bob", "u-alice"));  // the approver's roster gains the requester
  EXPECT_EQ(contact_state(roster, "u-alice", "u-bob").subscription, "to");
  EXPECT_TRUE(are_contacts(db, "u-alice", "u-bob"));
  EXPECT_TRUE(are_contacts(db, "u-bob", "u-alice"));

  // Approving again is harmless; adding again does not re-request.
  EXPECT_FALSE(act("u-bob", "approve", "u-alice").error);
  EXPECT_TRUE(act("u-alice", "add", "u-bob").notices.empty());
  // The other direction is its own request.
  act("u-bob", "add", "u-alice");
  act("u-alice", "approve", "u-bob");
  EXPECT_EQ(contact_state(roster, "u-alice", "u-bob").subscription, "both");
}

TEST_F(RosterTest, BadRequestsGetTheDocumentedCodes) {
  EXPECT_EQ(act("u-alice", "approve", "u-bob").error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(act("u-alice", "deny", "u-bob").error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(act("u-alice", "unblock", "u-bob").error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(act("u-alice", "update", "u-bob").error, ErrorCode::kUserNotOnRoster);
  EXPECT_EQ(act("u-alice", "remove", "u-bob").error, ErrorCode::kUserNotOnRoster);
  EXPECT_EQ(act("u-alice", "add", "u-alice").error, ErrorCode::kMalformedPayload);
  EXPECT_EQ(act("u-alice", "add", "u-ghost", "{}", false).error, ErrorCode::kUserNotFound);
  EXPECT_EQ(act("u-alice", "subscription_request", "u-bob").error, ErrorCode::kActionNotSupported);
  EXPECT_TRUE(roster.contacts("u-alice").empty());
}

TEST_F(RosterTest, DenyRefusesARequestOrRevokesAnApproval) {
  act("u-alice", "add", "u-bob");
  auto denied = act("u-bob", "deny", "u-alice");
  ASSERT_FALSE(denied.error);
  EXPECT_TRUE(denied.ended.empty());  // it was only pending
  ASSERT_EQ(denied.notices.size(), 1u);
  EXPECT_EQ(denied.notices[0].to_user, "u-alice");
  EXPECT_EQ(denied.notices[0].action, "deny");
  EXPECT_TRUE(roster.pending_requests_to("u-bob").empty());

  act("u-alice", "add", "u-bob");
  act("u-bob", "approve", "u-alice");
  auto revoked = act("u-bob", "deny", "u-alice");
  ASSERT_EQ(revoked.ended.size(), 1u);
  EXPECT_EQ(revoked.ended[0].watcher, "u-alice");
  EXPECT_TRUE(roster.watchers("u-bob").empty());
  EXPECT_FALSE(are_contacts(db, "u-alice", "u-bob"));
}

TEST_F(RosterTest, BlockingEndsSubscriptionsBothWaysAndRefusesRequests) {
  act("u-alice", "add", "u-bob");
  act("u-bob", "approve", "u-alice");
  act("u-bob", "add", "u-alice");
  act("u-alice", "approve", "u-bob");
  auto blocked = act("u-bob", "block", "u-alice");
  ASSERT_FALSE(blocked.error);
  EXPECT_EQ(blocked.ended.size(), 2u);
  EXPECT_TRUE(blocked.state.blocked);
  EXPECT_TRUE(is_blocked(db, "u-alice", "u-bob"));
  EXPECT_FALSE(is_blocked(db, "u-bob", "u-alice"));
  EXPECT_FALSE(are_contacts(db, "u-alice", "u-bob"));
  EXPECT_TRUE(roster.watchers("u-bob").empty());
  EXPECT_TRUE(roster.watchers("u-alice").empty());

  EXPECT_EQ(act("u-alice", "add", "u-bob").error, ErrorCode::kTargetUserBlocked);
  EXPECT_EQ(act("u-bob", "add", "u-alice").error, ErrorCode::kInvalidActionForState);
  EXPECT_FALSE(act("u-bob", "block", "u-alice").error);  // again: harmless
  EXPECT_EQ(roster.blocked_by("u-bob"), std::vector<std::string>{"u-alice"});

  EXPECT_FALSE(act("u-bob", "unblock", "u-alice").error);
  EXPECT_FALSE(is_blocked(db, "u-alice", "u-bob"));
  EXPECT_FALSE(act("u-alice", "add", "u-bob").error);
}

TEST_F(RosterTest, RemovingAContactCancelsBothDirections) {
  act("u-alice", "add", "u-bob");
  act("u-bob", "approve", "u-alice");
  act("u-bob", "add", "u-alice");
  auto removed = act("u-alice", "remove", "u-bob");
  ASSERT_FALSE(removed.error);
  ASSERT_EQ(removed.ended.size(), 1u);
  EXPECT_EQ(removed.ended[0].watcher, "u-alice");
  EXPECT_FALSE(roster.contact("u-alice", "u-bob"));
  EXPECT_FALSE(roster.subscription("u-bob", "u-alice"));  // bob's pending request is refused too
  EXPECT_TRUE(roster.contact("u-bob", "u-alice"));        // bob's own roster is bob's
}
