// The MODERATION actions over a real store (accounts, groups, moderation
// tables): what each writes, whom it tells, the state refusals, expiry
// exactness, and the effects other modules read (a banned user's join,
// invite and approve_join refused by the groups module).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "server/accounts/account_store.hpp"
#include "server/groups/group_actions.hpp"
#include "server/groups/group_store.hpp"
#include "server/moderation/moderation_actions.hpp"
#include "server/moderation/sanction_directory.hpp"
#include "server/moderation/sanction_store.hpp"
#include "store/sqlite/migrations.hpp"

using namespace qsip;
using namespace qsip::server;
using core::ErrorCode;

namespace {

constexpr std::int64_t kNow = 1'780'000'000'000;

class ModerationActions : public ::testing::Test {
 protected:
  ModerationActions()
      : path_(std::filesystem::temp_directory_path() / ("qsip-moderation-" + std::to_string(::getpid()) + ".db")),
        db(path_.string(), store::SyncPolicy::kNormal),
        groups(db),
        accounts(db),
        sanctions(db) {
    store::apply_migrations(db, "accounts", account_migrations());
    store::apply_migrations(db, "groups", group_migrations());
    store::apply_migrations(db, "moderation", moderation_migrations());
    for (const char* user : {"u-owner", "u-admin", "u-mod", "u-member", "u-target", "u-out", "u-root"})
      accounts.add_user(UserRecord{user, "", 1, false, 0});
    GroupRecord g;
    g.group_id = "g-1";
    g.created_by = "u-owner";
    groups.insert_group(g);
    groups.set_member("g-1", "u-owner", GroupRole::kOwner, 1);
    groups.set_member("g-1", "u-admin", GroupRole::kAdmin, 1);
    groups.set_member("g-1", "u-mod", GroupRole::kModerator, 1);
    groups.set_member("g-1", "u-member", GroupRole::kMember, 1);
    groups.set_member("g-1", "u-target", GroupRole::kMember, 1);
  }
  ~ModerationActions() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  static ModerationRequest request(const std::string& actor, ModerationAction action, const std::string& target,
                                   const std::string& group = "g-1", std::int64_t expires_at_ms = 0) {
    ModerationRequest r;
    r.actor = actor;
    r.actor_device = "d-1";
    r.message_id = "m-1";
    r.action = action;
    r.target_user_id = target;
    r.target_group_id = group;
    r.reason = "because";
    r.now_ms = kNow;
    r.expires_at_ms = expires_at_ms;
    return r;
  }
  ModerationOutcome act(const ModerationRequest& r, bool server_admin = false) {
    return apply_moderation_action(db, r, server_admin);
  }
  // The recipients of the notice of `type` whose payload contains `text`.
  static std::set<std::string> told(const ModerationOutcome& o, const std::string& type, const std::string& text) {
    for (const auto& n : o.notices)
      if (n.type == type && n.payload_json.find(text) != std::string::npos) return {n.recipients.begin(), n.recipients.end()};
    return {};
  }

  std::filesystem::path path_;
  store::SqliteDatabase db;
  GroupStore groups;
  AccountStore accounts;
  SanctionStore sanctions;
};

}  // namespace

TEST_F(ModerationActions, MuteHoldsUntilItsExpiryExactlyAndUnmuteLiftsIt) {
  auto o = act(request("u-mod", ModerationAction::kMute, "u-target", "g-1", kNow + 2000));
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_EQ(told(o, "MODERATION", R"("action":"mute_user_in_group")"), std::set<std::string>{"u-target"});
  EXPECT_NE(o.receipt_json.find(R"("expires_at":")"), std::string::npos) << o.receipt_json;
  EXPECT_EQ(sanction_directory::muted_until(db, "g-1", "u-target", kNow), kNow + 2000);
  EXPECT_EQ(sanction_directory::muted_until(db, "g-1", "u-target", kNow + 1999), kNow + 2000);
  EXPECT_EQ(sanction_directory::muted_until(db, "g-1", "u-target", kNow + 2000), std::nullopt) << "exact expiry";
  EXPECT_EQ(sanction_directory::muted_until(db, "g-2", "u-target", kNow), std::nullopt) << "per group";
  auto refusal = sanction_directory::mute_refusal(db, "to.group_id", "g-1", "u-target", kNow);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->rfind("to.group_id: you are muted in g-1 until 2026-", 0), 0u) << *refusal;

  // The expiry thread's view: due once passed, then marked.
  EXPECT_TRUE(sanctions.due(kNow + 1999, 10).empty());
  auto due = sanctions.due(kNow + 2000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(sanctions.next_expiry(), kNow + 2000);
  sanctions.mark_lifted(due[0].id, kNow + 2000);
  EXPECT_TRUE(sanctions.due(kNow + 5000, 10).empty());
  EXPECT_EQ(sanctions.next_expiry(), std::nullopt);

  // Permanent until unmuted; unmuting twice is a state error.
  ASSERT_FALSE(act(request("u-admin", ModerationAction::kMute, "u-target")).error);
  EXPECT_EQ(sanction_directory::muted_until(db, "g-1", "u-target", kNow + 1'000'000'000), 0);
  EXPECT_EQ(sanction_directory::mute_refusal(db, "to.group_id", "g-1", "u-target", kNow),
            "to.group_id: you are muted in g-1 until lifted");
  auto unmuted = act(request("u-admin", ModerationAction::kUnmute, "u-target"));
  ASSERT_FALSE(unmuted.error) << unmuted.detail;
  EXPECT_EQ(told(unmuted, "MODERATION", "unmute_user_in_group"), std::set<std::string>{"u-target"});
  EXPECT_EQ(sanction_directory::muted_until(db, "g-1", "u-target", kNow), std::nullopt);
  auto again = act(request("u-admin", ModerationAction::kUnmute, "u-target"));
  EXPECT_EQ(again.error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(again.detail, "payload.target_user_id: u-target is not muted in g-1");
}

TEST_F(ModerationActions, BanRemovesTheMemberAndKeepsThemOutUntilUnbanned) {
  groups.invite("g-1", "u-out", "u-owner", 1);
  auto o = act(request("u-mod", ModerationAction::kBan, "u-target"));
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_FALSE(groups.role_of("g-1", "u-target"));
  EXPECT_EQ(told(o, "GROUP", R"("reason":"banned")"),
            (std::set<std::string>{"u-owner", "u-admin", "u-mod", "u-member", "u-target"}));
  EXPECT_NE(told(o, "GROUP", R"("moderation_reason":"because")").count("u-target"), 0u);
  EXPECT_EQ(told(o, "MODERATION", "ban_user_from_group"), std::set<std::string>{"u-target"});

  // An outsider with an invitation or a join request loses it.
  auto pre = act(request("u-owner", ModerationAction::kBan, "u-out"));
  ASSERT_FALSE(pre.error) << pre.detail;
  EXPECT_FALSE(groups.is_invited("g-1", "u-out"));
  EXPECT_TRUE(told(pre, "GROUP", "member_left").empty()) << "no member left";

  // The groups module reads the ban: join, invite, approve_join refused.
  const BanCheck banned = [this](const std::string& group, const std::string& user) -> std::optional<std::string> {
    auto ban = SanctionStore(db).active(SanctionKind::kBan, group, user, kNow);
    if (!ban) return std::nullopt;
    return sanction_directory::until_text(ban->expires_at_ms);
  };
  const AccountCheck has_account = [](const std::string&) { return true; };
  auto group_request = [](const std::string& user, GroupAction action) {
    GroupRequest r;
    r.user_id = user;
    r.action = action;
    r.group_id = "g-1";
    r.now_ms = kNow;
    return r;
  };
  auto join = apply_group_action(groups, group_request("u-target", GroupAction::kJoin), has_account, banned);
  EXPECT_EQ(join.error, ErrorCode::kForbidden);
  EXPECT_EQ(join.detail, "payload.group_id: u-target is banned from g-1 until lifted");
  auto invite = group_request("u-owner", GroupAction::kInvite);
  invite.members = {"u-target"};
  EXPECT_EQ(apply_group_action(groups, invite, has_account, banned).error, ErrorCode::kForbidden);
  groups.request_join("g-1", "u-target", kNow);
  auto approve = group_request("u-owner", GroupAction::kApproveJoin);
  approve.target_user_id = "u-target";
  EXPECT_EQ(apply_group_action(groups, approve, has_account, banned).error, ErrorCode::kForbidden);

  // Unban: let in again; unbanning twice is a state error.
  ASSERT_FALSE(act(request("u-mod", ModerationAction::kUnban, "u-target")).error);
  EXPECT_EQ(apply_group_action(groups, approve, has_account, banned).error, std::nullopt);
  EXPECT_EQ(groups.role_of("g-1", "u-target"), GroupRole::kMember);
  EXPECT_EQ(act(request("u-mod", ModerationAction::kUnban, "u-target")).error, ErrorCode::kInvalidActionForState);
}

TEST_F(ModerationActions, KickRemovesAMemberLikeGroupKickAndNeedsAMember) {
  auto o = act(request("u-admin", ModerationAction::kKick, "u-mod"));
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_FALSE(groups.role_of("g-1", "u-mod"));
  EXPECT_EQ(told(o, "GROUP", R"("reason":"kicked")"), (std::set<std::string>{"u-owner", "u-admin", "u-member", "u-target", "u-mod"}));
  EXPECT_EQ(told(o, "MODERATION", "kick_user_from_group"), std::set<std::string>{"u-mod"});
  auto gone = act(request("u-admin", ModerationAction::kKick, "u-mod"));
  EXPECT_EQ(gone.error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(gone.detail, "payload.target_user_id: u-mod is not a member of g-1");
  EXPECT_EQ(act(request("u-member", ModerationAction::kKick, "u-target")).error, ErrorCode::kInsufficientPermissions);
  EXPECT_EQ(act(request("u-out", ModerationAction::kKick, "u-target")).error, ErrorCode::kForbidden);
  EXPECT_TRUE(groups.role_of("g-1", "u-target")) << "nothing written by a refusal";
}

TEST_F(ModerationActions, ServerAdministratorsActAnywhereAndUnknownsAreNotFound) {
  EXPECT_EQ(act(request("u-root", ModerationAction::kKick, "u-owner")).error, ErrorCode::kForbidden) << "not an admin";
  auto last = act(request("u-root", ModerationAction::kBan, "u-owner"), true);
  EXPECT_EQ(last.error, ErrorCode::kInvalidActionForState);
  EXPECT_EQ(last.detail, "payload.target_user_id: u-owner is the last owner of g-1; make another member owner first, "
                         "or delete the group");
  groups.set_role("g-1", "u-admin", GroupRole::kOwner);
  auto o = act(request("u-root", ModerationAction::kKick, "u-owner"), true);
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_FALSE(groups.role_of("g-1", "u-owner"));
  EXPECT_EQ(act(request("u-mod", ModerationAction::kMute, "u-ghost")).error, ErrorCode::kUserNotFound);
  auto no_group = act(request("u-mod", ModerationAction::kMute, "u-target", "g-none"));
  EXPECT_EQ(no_group.error, ErrorCode::kGroupNotFound);
  EXPECT_EQ(no_group.detail, "payload.target_group_id: no group g-none");
}

TEST_F(ModerationActions, WarningsWaitUndeliveredUntilMarked) {
  EXPECT_EQ(act(request("u-mod", ModerationAction::kWarn, "u-target", "")).error, ErrorCode::kInsufficientPermissions)
      << "without a group: server administrators";
  auto in_group = act(request("u-mod", ModerationAction::kWarn, "u-owner"));
  ASSERT_FALSE(in_group.error) << in_group.detail;
  EXPECT_NE(in_group.warning_id, 0);
  EXPECT_EQ(told(in_group, "MODERATION", "warn_user"), std::set<std::string>{"u-owner"});
  auto anywhere = act(request("u-root", ModerationAction::kWarn, "u-owner", ""), true);
  ASSERT_FALSE(anywhere.error);
  auto waiting = sanctions.undelivered_warnings("u-owner", 10);
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0].group_id, "g-1");
  EXPECT_EQ(waiting[0].by_user_id, "u-mod");
  EXPECT_EQ(waiting[0].reason, "because");
  EXPECT_EQ(waiting[1].group_id, "");
  sanctions.mark_warning_delivered(waiting[0].id, kNow);
  ASSERT_EQ(sanctions.undelivered_warnings("u-owner", 10).size(), 1u);
  EXPECT_EQ(sanctions.undelivered_warnings("u-owner", 10)[0].id, anywhere.warning_id);
}

TEST_F(ModerationActions, SuspensionIsTheAccountsSuspensionWithItsTokensRevoked) {
  accounts.record_token(TokenRecord{"jti-1", "u-target", "", kNow / 1000 - 10, kNow / 1000 + 3600, 0});
  auto r = request("u-root", ModerationAction::kSuspend, "u-target", "", kNow + 1500);
  EXPECT_EQ(act(r).error, ErrorCode::kInsufficientPermissions) << "server administrators only";
  auto o = act(r, true);
  ASSERT_FALSE(o.error) << o.detail;
  EXPECT_EQ(o.suspended_user, "u-target");
  auto user = accounts.user("u-target");
  ASSERT_TRUE(user);
  EXPECT_TRUE(user->suspended);
  EXPECT_EQ(user->suspended_until, kNow / 1000 + 2) << "rounded up to the second";
  EXPECT_TRUE(accounts.is_revoked("jti-1", "u-target", "d-1", kNow / 1000 - 10));
  auto due = sanctions.due(kNow + 1500, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, SanctionKind::kSuspension);
  EXPECT_EQ(told(o, "MODERATION", "suspend_user_account"), std::set<std::string>{"u-target"});
}
