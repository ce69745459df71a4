// A groups store on a fresh SQLite file, and a cast of users with one of
// each standing in a group: owner, admin, moderator, member, outsider, plus
// a member to act on (u-target), a user with an account who is in no group
// (u-new) and one whose join request waits (u-req).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "server/groups/group_actions.hpp"
#include "server/groups/group_store.hpp"
#include "server/workspaces/workspace_store.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server::test {

class GroupFixture : public ::testing::Test {
 protected:
  GroupFixture()
      : path_(std::filesystem::temp_directory_path() / ("qsip-groups-" + std::to_string(::getpid()) + ".db")),
        db(path_.string(), store::SyncPolicy::kNormal),
        groups(db) {
    store::apply_migrations(db, "groups", group_migrations());
    // Effective roles read workspace roles (group_authority.hpp).
    store::apply_migrations(db, "workspaces", workspace_migrations());
  }
  ~GroupFixture() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  // A group `id` (private unless `is_public`) with the cast in place.
  void make_group(const std::string& id, bool is_public = false, bool join_requests = false) {
    GroupRecord g;
    g.group_id = id;
    g.name = "Group " + id;
    g.is_public = is_public;
    g.join_requests = join_requests;
    g.settings_json = join_requests ? R"({"join_requests":true})" : "{}";
    g.created_by = "u-owner";
    groups.insert_group(g);
    groups.set_member(id, "u-owner", GroupRole::kOwner, 1);
    groups.set_member(id, "u-admin", GroupRole::kAdmin, 2);
    groups.set_member(id, "u-mod", GroupRole::kModerator, 3);
    groups.set_member(id, "u-member", GroupRole::kMember, 4);
    groups.set_member(id, "u-target", GroupRole::kMember, 5);
    groups.request_join(id, "u-req", 6);
  }

  GroupOutcome act(GroupRequest request) {
    request.now_ms = 1000;
    if (request.fallback_group_id.empty()) request.fallback_group_id = "g-assigned";
    AccountCheck has_account = [this](const std::string& user) { return accounts.count(user) > 0; };
    return apply_group_action(groups, request, has_account);
  }

  static GroupRequest request(const std::string& user, GroupAction action, const std::string& group_id) {
    GroupRequest r;
    r.user_id = user;
    r.message_id = "m-1";
    r.action = action;
    r.group_id = group_id;
    return r;
  }

  // The users of a notice with the given action, or empty.
  static std::set<std::string> told(const GroupOutcome& o, const std::string& action) {
    for (const auto& n : o.notices)
      if (n.payload_json.find("\"action\":\"" + action + "\"") != std::string::npos)
        return {n.recipients.begin(), n.recipients.end()};
    return {};
  }

  std::filesystem::path path_;
  store::SqliteDatabase db;
  GroupStore groups;
  std::set<std::string> accounts{"u-owner", "u-admin", "u-mod", "u-member", "u-out", "u-target", "u-new", "u-req"};
};

}  // namespace qsip::server::test
