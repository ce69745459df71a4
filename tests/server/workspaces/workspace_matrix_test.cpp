// The workspace permission matrix (docs/groups.md "Workspaces"): every
// action by every standing (owner, admin, member, outsider) on a fresh
// workspace, private and public, answered as the table says.
#include <gtest/gtest.h>

#include <optional>

#include "server/workspaces/workspace_permissions.hpp"
#include "workspace_fixture.hpp"

using namespace qsip::server;
using qsip::core::ErrorCode;
using qsip::server::test::WorkspaceFixture;

namespace {

using Expect = std::optional<ErrorCode>;
constexpr Expect kOk = std::nullopt;
constexpr Expect k4014 = ErrorCode::kInsufficientPermissions;
constexpr Expect k4031 = ErrorCode::kForbidden;
constexpr Expect k4051 = ErrorCode::kInvalidActionForState;

struct Row {
  WorkspaceAction action;
  Expect by[4];  // owner, admin, member, outsider
};

constexpr const char* kActors[4] = {"u-wowner", "u-wadmin", "u-wmember", "u-wout"};

// The target is a plain member; the invitee has an account and no standing;
// set_role makes the target an admin (an admin may not grant it).
WorkspaceRequest request_for(WorkspaceAction action, const std::string& actor, const std::string& id) {
  WorkspaceRequest r;
  r.user_id = actor;
  r.action = action;
  r.workspace_id = id;
  switch (action) {
    case WorkspaceAction::kInvite: r.members = {"u-new"}; break;
    case WorkspaceAction::kKick: r.target_user_id = "u-wtarget"; break;
    case WorkspaceAction::kSetRole:
      r.target_user_id = "u-wtarget";
      r.role = WorkspaceRole::kAdmin;
      break;
    default: break;
  }
  return r;
}

class WorkspaceMatrix : public WorkspaceFixture {
 protected:
  void check(const Row (&rows)[8], bool is_public) {
    int n = 0;
    for (const auto& row : rows) {
      for (int who = 0; who < 4; ++who) {
        std::string id = "w-" + std::to_string(n++);
        make_workspace(id, is_public);
        SCOPED_TRACE(std::string(action_name(row.action)) + " by " + kActors[who]);
        auto outcome = act(request_for(row.action, kActors[who], id));
        EXPECT_EQ(outcome.error, row.by[who]) << outcome.detail;
        if (outcome.error) {
          EXPECT_NE(outcome.detail.find("payload."), std::string::npos) << "the detail names the field";
          EXPECT_TRUE(outcome.notices.empty()) << "a refusal tells nobody";
          EXPECT_TRUE(outcome.audits.empty());
        }
      }
    }
  }
};

}  // namespace

TEST_F(WorkspaceMatrix, EveryActionByEveryStandingInAPrivateWorkspace) {
  const Row rows[8] = {
      {WorkspaceAction::kDelete, {kOk, k4014, k4014, k4031}},
      {WorkspaceAction::kGet, {kOk, kOk, kOk, k4031}},
      {WorkspaceAction::kInvite, {kOk, kOk, k4014, k4031}},
      {WorkspaceAction::kJoin, {k4051, k4051, k4051, k4031}},
      {WorkspaceAction::kLeave, {k4051, kOk, kOk, k4051}},  // the owner is the last owner
      {WorkspaceAction::kSetRole, {kOk, k4014, k4014, k4031}},  // an admin cannot grant admin
      {WorkspaceAction::kKick, {kOk, kOk, k4014, k4031}},
      {WorkspaceAction::kListMembers, {kOk, kOk, kOk, k4031}},
  };
  check(rows, false);
}

TEST_F(WorkspaceMatrix, EveryActionByEveryStandingInAPublicWorkspace) {
  const Row rows[8] = {
      {WorkspaceAction::kDelete, {kOk, k4014, k4014, k4031}},
      {WorkspaceAction::kGet, {kOk, kOk, kOk, kOk}},
      {WorkspaceAction::kInvite, {kOk, kOk, k4014, k4031}},
      {WorkspaceAction::kJoin, {k4051, k4051, k4051, kOk}},
      {WorkspaceAction::kLeave, {k4051, kOk, kOk, k4051}},
      {WorkspaceAction::kSetRole, {kOk, k4014, k4014, k4031}},
      {WorkspaceAction::kKick, {kOk, kOk, k4014, k4031}},
      {WorkspaceAction::kListMembers, {kOk, kOk, kOk, kOk}},
  };
  check(rows, true);
}

TEST_F(WorkspaceMatrix, RanksActOnLowerRanksOnlyExceptOwners) {
  make_workspace("w-1");
  auto r = request("u-wadmin", WorkspaceAction::kKick, "w-1");
  r.target_user_id = "u-wowner";
  EXPECT_EQ(act(r).error, ErrorCode::kInsufficientPermissions);
  workspaces.set_member("w-1", "u-admin2", WorkspaceRole::kAdmin, 5);
  r.target_user_id = "u-admin2";
  EXPECT_EQ(act(r).error, ErrorCode::kInsufficientPermissions) << "an admin does not kick an admin";
  auto promote = request("u-wadmin", WorkspaceAction::kSetRole, "w-1");
  promote.target_user_id = "u-wtarget";
  promote.role = WorkspaceRole::kMember;
  EXPECT_FALSE(act(promote).error) << "an admin grants member";
  auto owner_kicks_admin = request("u-wowner", WorkspaceAction::kKick, "w-1");
  owner_kicks_admin.target_user_id = "u-wadmin";
  EXPECT_FALSE(act(owner_kicks_admin).error);
  auto self = request("u-wowner", WorkspaceAction::kKick, "w-1");
  self.target_user_id = "u-wowner";
  EXPECT_EQ(act(self).error, ErrorCode::kMalformedPayload);
}

TEST_F(WorkspaceMatrix, UnknownWorkspaceIs4045NamingTheField) {
  for (auto action : {WorkspaceAction::kDelete, WorkspaceAction::kGet, WorkspaceAction::kJoin,
                      WorkspaceAction::kLeave, WorkspaceAction::kListMembers}) {
    auto outcome = act(request("u-wowner", action, "w-none"));
    EXPECT_EQ(outcome.error, ErrorCode::kResourceNotFound);
    EXPECT_EQ(outcome.detail.rfind("payload.workspace_id", 0), 0u) << outcome.detail;
  }
}

TEST(WorkspacePermissions, LeastRoles) {
  EXPECT_EQ(least_role(WorkspaceAction::kDelete), WorkspaceRole::kOwner);
  EXPECT_EQ(least_role(WorkspaceAction::kInvite), WorkspaceRole::kAdmin);
  EXPECT_EQ(least_role(WorkspaceAction::kKick), WorkspaceRole::kAdmin);
  EXPECT_EQ(least_role(WorkspaceAction::kSetRole), WorkspaceRole::kAdmin);
  EXPECT_FALSE(least_role(WorkspaceAction::kGet));
  EXPECT_EQ(workspace_role_refusal(WorkspaceAction::kJoin, WorkspaceRole::kMember), ErrorCode::kInvalidActionForState);
  EXPECT_EQ(workspace_role_refusal(WorkspaceAction::kDelete, std::nullopt), ErrorCode::kForbidden);
  EXPECT_FALSE(workspace_role_refusal(WorkspaceAction::kGet, std::nullopt));
  EXPECT_TRUE(outranks(WorkspaceRole::kOwner, WorkspaceRole::kOwner));
  EXPECT_FALSE(outranks(WorkspaceRole::kAdmin, WorkspaceRole::kAdmin));
  EXPECT_TRUE(may_grant(WorkspaceRole::kAdmin, WorkspaceRole::kMember));
  EXPECT_FALSE(may_grant(WorkspaceRole::kAdmin, WorkspaceRole::kAdmin));
}
