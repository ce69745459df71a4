// A fresh SQLite file with the groups' and workspaces' tables and a cast:
// in workspace `w` (private unless said otherwise) u-wowner (owner),
// u-wadmin (admin), u-wmember and u-wtarget (members); u-wout and u-new have
// accounts and no standing. Requests go through apply_workspace_action and
// apply_channel_action as the handlers call them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "server/groups/channel_actions.hpp"
#include "server/groups/group_store.hpp"
#include "server/workspaces/workspace_actions.hpp"
#include "server/workspaces/workspace_store.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server::test {

class WorkspaceFixture : public ::testing::Test {
 protected:
  WorkspaceFixture()
      : path_(std::filesystem::temp_directory_path() / ("qsip-workspaces-" + std::to_string(::getpid()) + ".db")),
        db(path_.string(), store::SyncPolicy::kNormal),
        workspaces(db),
        groups(db) {
    store::apply_migrations(db, "groups", group_migrations());
    store::apply_migrations(db, "workspaces", workspace_migrations());
  }
  ~WorkspaceFixture() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  void make_workspace(const std::string& id, bool is_public = false) {
    workspaces.insert({id, "Workspace " + id, "", is_public, "u-wowner", 1, 1});
    workspaces.set_member(id, "u-wowner", WorkspaceRole::kOwner, 1);
    workspaces.set_member(id, "u-wadmin", WorkspaceRole::kAdmin, 2);
    workspaces.set_member(id, "u-wmember", WorkspaceRole::kMember, 3);
    workspaces.set_member(id, "u-wtarget", WorkspaceRole::kMember, 4);
  }

  // A group or channel `id` in `workspace_id` owned by u-gowner, with
  // u-wmember as a plain member.
  void make_conversation(const std::string& id, const std::string& workspace_id, bool channel, bool is_public) {
    GroupRecord g;
    g.group_id = id;
    g.name = "Conversation " + id;
    g.is_public = is_public;
    g.workspace_id = workspace_id;
    g.created_by = "u-gowner";
    g.is_channel = channel;
    groups.insert_group(g);
    groups.set_member(id, "u-gowner", GroupRole::kOwner, 1);
    groups.set_member(id, "u-wmember", GroupRole::kMember, 2);
  }

  WorkspaceOutcome act(WorkspaceRequest r) {
    r.now_ms = 1000;
    r.message_id = "m-1";
    return apply_workspace_action(db, r, [this](const std::string& user) { return accounts.count(user) > 0; });
  }

  static WorkspaceRequest request(const std::string& user, WorkspaceAction action, const std::string& id) {
    WorkspaceRequest r;
    r.user_id = user;
    r.action = action;
    r.workspace_id = id;
    return r;
  }

  GroupOutcome channel(ChannelRequest r) {
    r.now_ms = 1000;
    r.message_id = "m-1";
    return apply_channel_action(groups, r);
  }

  static ChannelRequest channel_request(const std::string& user, ChannelAction action, const std::string& id) {
    ChannelRequest r;
    r.user_id = user;
    r.action = action;
    r.channel_id = id;
    return r;
  }

  GroupOutcome group(GroupRequest r) {
    r.now_ms = 1000;
    r.message_id = "m-1";
    r.fallback_group_id = "g-assigned";
    return apply_group_action(groups, r, [this](const std::string& user) { return accounts.count(user) > 0; });
  }

  static GroupRequest group_request(const std::string& user, GroupAction action, const std::string& id) {
    GroupRequest r;
    r.user_id = user;
    r.action = action;
    r.group_id = id;
    return r;
  }

  std::filesystem::path path_;
  store::SqliteDatabase db;
  WorkspaceStore workspaces;
  GroupStore groups;
  std::set<std::string> accounts{"u-wowner", "u-wadmin", "u-wmember", "u-wtarget", "u-wout", "u-new", "u-gowner"};
};

}  // namespace qsip::server::test
