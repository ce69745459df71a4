#include "server/accounts/account_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace qsip::server;
using namespace qsip::store;

namespace {
class AccountStoreTest : public ::testing::Test {
 protected:
  AccountStoreTest()
      : path(std::filesystem::temp_directory_path() / ("qsip-accounts-" + std::to_string(::getpid()) + ".db")),
        db(path.string(), SyncPolicy::kNormal),
        accounts(db) {
    apply_migrations(db, "accounts", account_migrations());
  }
  ~AccountStoreTest() override {
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
  }
  std::filesystem::path path;
  SqliteDatabase db;
  AccountStore accounts;
};
}  // namespace

TEST_F(AccountStoreTest, UsersAreAddedOnceListedAndSuspended) {
  EXPECT_TRUE(accounts.add_user({"u-alice", "Alice", 100}));
  EXPECT_FALSE(accounts.add_user({"u-alice", "Other", 200}));
  EXPECT_TRUE(accounts.add_user({"u-bob", "", 100}));
  ASSERT_EQ(accounts.users().size(), 2u);
  EXPECT_EQ(accounts.user("u-alice")->display_name, "Alice");
  EXPECT_TRUE(accounts.set_suspended("u-bob", true, 500));
  EXPECT_TRUE(accounts.user("u-bob")->suspended);
  EXPECT_EQ(accounts.user("u-bob")->suspended_until, 500);
  EXPECT_FALSE(accounts.set_suspended("u-nobody", true));
  EXPECT_FALSE(accounts.user("u-nobody"));
}

TEST_F(AccountStoreTest, DevicesKeepFirstSeenAndName) {
  accounts.upsert_device({"u-alice", "d-1", "", R"({"os":"Linux"})", R"(["opus"])", true, 10, 10});
  EXPECT_TRUE(accounts.rename_device("u-alice", "d-1", "laptop"));
  accounts.upsert_device({"u-alice", "d-1", "", R"({"os":"Linux"})", "[]", false, 50, 50});
  auto devices = accounts.devices("u-alice");
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].first_seen, 10);
  EXPECT_EQ(devices[0].last_seen, 50);
  EXPECT_EQ(devices[0].name, "laptop");
  EXPECT_FALSE(devices[0].supports_datagrams);
  EXPECT_TRUE(accounts.remove_device("u-alice", "d-1"));
  EXPECT_TRUE(accounts.devices("u-alice").empty());
}

TEST_F(AccountStoreTest, RevocationByTokenUserAndDevice) {
  accounts.record_token({"t1", "u-alice", "d-1", 100, 1000, 0});
  accounts.record_token({"t2", "u-alice", "d-2", 100, 1000, 0});
  EXPECT_FALSE(accounts.is_revoked("t1", "u-alice", "d-1", 100));
  EXPECT_EQ(accounts.revoke_token("t1", 200), 1);
  EXPECT_TRUE(accounts.is_revoked("t1", "u-alice", "d-1", 100));
  EXPECT_FALSE(accounts.is_revoked("t2", "u-alice", "d-2", 100));
  EXPECT_EQ(accounts.revoke_device_tokens("u-alice", "d-2", 300), 1);
  EXPECT_TRUE(accounts.is_revoked("t2", "u-alice", "d-2", 100));
  EXPECT_TRUE(accounts.is_revoked("unrecorded", "u-alice", "d-2", 250));   // issued before the cut
  EXPECT_FALSE(accounts.is_revoked("unrecorded", "u-alice", "d-2", 400));  // a fresh one is fine
  EXPECT_FALSE(accounts.is_revoked("unrecorded", "u-alice", "d-3", 250));
  accounts.revoke_user_tokens("u-alice", 500);
  EXPECT_TRUE(accounts.is_revoked("unrecorded", "u-alice", "d-3", 450));
  EXPECT_EQ(accounts.tokens("u-alice").size(), 2u);
}
