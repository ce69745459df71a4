// The authorization matrix of docs/moderation.md, written out: every action
// by every standing (owner, admin, moderator, member, outsider, server
// administrator) on every target rank (owner, admin, moderator, member,
// not a member). "ok" allowed, else the error code.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

#include "server/moderation/moderation_permissions.hpp"

using namespace qsip::server;

namespace {

struct Actor {
  const char* name;
  ModeratorStanding standing;
};
const std::array<Actor, 6> kActors{{
    {"owner", {GroupRole::kOwner, false}},
    {"admin", {GroupRole::kAdmin, false}},
    {"moderator", {GroupRole::kModerator, false}},
    {"member", {GroupRole::kMember, false}},
    {"outsider", {std::nullopt, false}},
    {"server-admin", {std::nullopt, true}},
}};

struct Target {
  const char* name;
  std::optional<GroupRole> role;
};
const std::array<Target, 5> kTargets{{
    {"owner", GroupRole::kOwner},
    {"admin", GroupRole::kAdmin},
    {"moderator", GroupRole::kModerator},
    {"member", GroupRole::kMember},
    {"none", std::nullopt},
}};

// Per actor, the answer on each target, in kTargets order.
using Row = std::array<const char*, 5>;

// Acting on someone in a group: rank decides.
const std::map<std::string, Row> kOnRank{
    {"owner", {"ok", "ok", "ok", "ok", "ok"}},
    {"admin", {"4014", "4014", "ok", "ok", "ok"}},
    {"moderator", {"4014", "4014", "4014", "ok", "ok"}},
    {"member", {"4014", "4014", "4014", "4014", "4014"}},
    {"outsider", {"4031", "4031", "4031", "4031", "4031"}},
    {"server-admin", {"ok", "ok", "ok", "ok", "ok"}},
};
// warn_user about a group: moderator or above, whoever the target.
const std::map<std::string, Row> kWarnInGroup{
    {"owner", {"ok", "ok", "ok", "ok", "ok"}},
    {"admin", {"ok", "ok", "ok", "ok", "ok"}},
    {"moderator", {"ok", "ok", "ok", "ok", "ok"}},
    {"member", {"4014", "4014", "4014", "4014", "4014"}},
    {"outsider", {"4031", "4031", "4031", "4031", "4031"}},
    {"server-admin", {"ok", "ok", "ok", "ok", "ok"}},
};
// Server administrators only: suspend, and warn / delete outside a group.
const std::map<std::string, Row> kServerAdminsOnly{
    {"owner", {"4014", "4014", "4014", "4014", "4014"}},
    {"admin", {"4014", "4014", "4014", "4014", "4014"}},
    {"moderator", {"4014", "4014", "4014", "4014", "4014"}},
    {"member", {"4014", "4014", "4014", "4014", "4014"}},
    {"outsider", {"4014", "4014", "4014", "4014", "4014"}},
    {"server-admin", {"ok", "ok", "ok", "ok", "ok"}},
};

std::string answer(ModerationAction action, const std::string& group, const Actor& actor, const Target& target) {
  auto refusal = moderation_refusal(action, group, actor.standing, target.role, "u-target");
  if (!refusal) return "ok";
  return std::to_string(static_cast<int>(refusal->code));
}

void check(ModerationAction action, const std::string& group, const std::map<std::string, Row>& expected) {
  for (const auto& actor : kActors)
    for (std::size_t t = 0; t < kTargets.size(); ++t)
      EXPECT_EQ(answer(action, group, actor, kTargets[t]), expected.at(actor.name)[t])
          << moderation_action_name(action) << (group.empty() ? " (no group)" : " in a group") << " by " << actor.name
          << " on " << kTargets[t].name;
}

}  // namespace

TEST(ModerationPermissions, GroupActionsNeedModeratorAndHigherRankThanTheTarget) {
  for (auto action : {ModerationAction::kMute, ModerationAction::kUnmute, ModerationAction::kKick, ModerationAction::kBan,
                      ModerationAction::kUnban, ModerationAction::kDeleteMessage})
    check(action, "g-1", kOnRank);
}

TEST(ModerationPermissions, WarningsInAGroupNeedModeratorWhoeverTheTarget) {
  check(ModerationAction::kWarn, "g-1", kWarnInGroup);
}

TEST(ModerationPermissions, SuspensionAndActionsOutsideGroupsAreForServerAdministrators) {
  check(ModerationAction::kSuspend, "", kServerAdminsOnly);
  check(ModerationAction::kWarn, "", kServerAdminsOnly);
  check(ModerationAction::kDeleteMessage, "", kServerAdminsOnly);
}

TEST(ModerationPermissions, ServerAdministratorsModerateAsOwnersAndDetailsNameTheField) {
  EXPECT_EQ(moderating_rank({std::nullopt, true}), GroupRole::kOwner);
  EXPECT_EQ(moderating_rank({GroupRole::kMember, true}), GroupRole::kOwner);
  EXPECT_EQ(moderating_rank({GroupRole::kModerator, false}), GroupRole::kModerator);
  EXPECT_EQ(moderating_rank({std::nullopt, false}), std::nullopt);

  auto outsider = moderation_refusal(ModerationAction::kMute, "g-1", {std::nullopt, false}, std::nullopt, "u-t");
  ASSERT_TRUE(outsider);
  EXPECT_EQ(outsider->detail, "payload.target_group_id: you are not a member of g-1");
  auto lower = moderation_refusal(ModerationAction::kBan, "g-1", {GroupRole::kModerator, false}, GroupRole::kAdmin, "u-t");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->detail, "payload.target_user_id: u-t is admin, not below you");
  auto author = moderation_refusal(ModerationAction::kDeleteMessage, "g-1", {GroupRole::kAdmin, false}, GroupRole::kOwner, "u-o");
  ASSERT_TRUE(author);
  EXPECT_EQ(author->detail, "payload.target_message_id: its author u-o is owner, not below you");
  auto suspend = moderation_refusal(ModerationAction::kSuspend, "", {GroupRole::kOwner, false}, std::nullopt, "u-t");
  ASSERT_TRUE(suspend);
  EXPECT_EQ(suspend->detail, "payload.action: suspend_user_account is for server administrators");
}
