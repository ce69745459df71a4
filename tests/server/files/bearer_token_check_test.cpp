// The HTTP endpoint's token check: the REGISTER token, checked as REGISTER
// checks it.
#include "server/files/bearer_token_check.hpp"

#include "files_fixture.hpp"
#include "jwt_test_keys.hpp"

using namespace qsip;
using namespace qsip::server;
using namespace qsip::server::testing;
using core::ErrorCode;

namespace {
class BearerTokenCheckTest : public FilesFixture {
 protected:
  BearerTokenCheckTest() { load_test_key(keys, dir.path()); }
  core::Outcome<std::string> check(const std::string& header, BearerSettings settings = {}) {
    return BearerTokenCheck(keys, settings).user_of(header, *reader);
  }
  ErrorCode code(const std::string& header, BearerSettings settings = {}) {
    auto r = check(header, settings);
    EXPECT_FALSE(r.ok()) << header;
    return r.ok() ? ErrorCode::kInternalServerError : r.failure().code;
  }
  JwtKeys keys;
};
}  // namespace

TEST_F(BearerTokenCheckTest, AValidTokenNamesItsUser) {
  auto user = check("Bearer " + token_for(keys, "u-alice"));
  ASSERT_TRUE(user.ok()) << user.failure().detail;
  EXPECT_EQ(user.value(), "u-alice");
  EXPECT_TRUE(check("bearer  " + token_for(keys, "u-alice")).ok());
}

TEST_F(BearerTokenCheckTest, RefusesWhatREGISTERWouldRefuse) {
  EXPECT_EQ(code(""), ErrorCode::kUnauthorized);
  EXPECT_EQ(code("Basic dXNlcjpwYXNz"), ErrorCode::kUnauthorized);
  EXPECT_EQ(code("Bearer x.y.z"), ErrorCode::kInvalidToken);
  EXPECT_EQ(code("Bearer " + token_for(keys, "u-alice", -120)), ErrorCode::kTokenExpired);
  JwtKeys other;
  std::filesystem::create_directory(dir.path() / "other");
  load_test_key(other, dir.path() / "other");
  EXPECT_EQ(code("Bearer " + token_for(other, "u-alice")), ErrorCode::kInvalidToken);
  EXPECT_EQ(code("Bearer " + token_for(keys, "u-nobody"), BearerSettings{{}, {}, /*open_registration=*/false}),
            ErrorCode::kUnauthorized);
  EXPECT_EQ(code("Bearer " + token_for(keys, "u-alice"), BearerSettings{"https://idp.example", {}, true}),
            ErrorCode::kUnauthorized);

  writer->run_sync([](store::SqliteDatabase& db) {
    AccountStore accounts(db);
    accounts.add_user({"u-suspended", "", 0});
    accounts.set_suspended("u-suspended", true);
    accounts.record_token({"t-revoked", "u-alice", "", 0, 0, 0});
    accounts.revoke_token("t-revoked", std::time(nullptr));
  });
  auto suspended = check("Bearer " + token_for(keys, "u-suspended"));
  ASSERT_FALSE(suspended.ok());
  EXPECT_EQ(suspended.failure().detail, "account u-suspended is suspended");
  auto revoked = check("Bearer " + token_for(keys, "u-alice", 3600, "t-revoked"));
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.failure().detail, "auth_token: revoked");
}
