// Workspaces, their members with roles and pending invitations (draft 5.34,
// docs/groups.md "Workspaces"), persisted in the SQLite store (module
// "workspaces"). Reads and writes on a connection the caller owns: the
// writer thread for changes, a worker's reader for lookups. A deleted
// workspace stays as a tombstone so its id is never given again. The groups
// module reads roles here (a workspace admin acts as owner of the
// workspace's groups and channels): this library depends on nothing but the
// store, so both modules can link it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/workspaces/workspace_role.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct WorkspaceRecord {
  std::string workspace_id;
  std::string name;
  std::string description;
  bool is_public = false;
  std::string created_by;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct WorkspaceMember {
  std::string user_id;
  WorkspaceRole role = WorkspaceRole::kMember;
  std::int64_t joined_at_ms = 0;
};

// A workspace the user belongs to, with the user's role.
struct WorkspaceMembership {
  WorkspaceRecord workspace;
  WorkspaceRole role = WorkspaceRole::kMember;
};

struct WorkspaceInvitation {
  std::string workspace_id;
  std::string invited_by;
};

std::span<const store::Migration> workspace_migrations();

class WorkspaceStore {
 public:
  explicit WorkspaceStore(store::SqliteDatabase& db) : db_(db) {}

  // workspace(): live ones only. id_taken(): live or deleted.
  std::optional<WorkspaceRecord> workspace(const std::string& workspace_id);
  bool id_taken(const std::string& workspace_id);
  void insert(const WorkspaceRecord& workspace);
  // Tombstones the workspace and drops its members and invitations.
  void remove(const std::string& workspace_id, std::int64_t now_ms);

  std::optional<WorkspaceRole> role_of(const std::string& workspace_id, const std::string& user_id);
  void set_member(const std::string& workspace_id, const std::string& user_id, WorkspaceRole role,
                  std::int64_t now_ms);
  void set_role(const std::string& workspace_id, const std::string& user_id, WorkspaceRole role);
  bool remove_member(const std::string& workspace_id, const std::string& user_id);
  std::vector<std::string> member_ids(const std::string& workspace_id);
  // A page in user id order after `after_user`, skipping `offset`, at most `limit`.
  std::vector<WorkspaceMember> members_page(const std::string& workspace_id, const std::string& after_user,
                                            std::int64_t offset, std::int64_t limit);
  std::int64_t member_count(const std::string& workspace_id);
  std::int64_t owner_count(const std::string& workspace_id);
  // The user's live workspaces after `after_id` by id, at most `limit`.
  std::vector<WorkspaceMembership> workspaces_of(const std::string& user_id, const std::string& after_id,
                                                 std::int64_t limit);

  void invite(const std::string& workspace_id, const std::string& user_id, const std::string& by, std::int64_t now_ms);
  bool is_invited(const std::string& workspace_id, const std::string& user_id);
  bool remove_invitation(const std::string& workspace_id, const std::string& user_id);
  std::vector<std::string> invitees(const std::string& workspace_id);
  std::vector<WorkspaceInvitation> invitations_for(const std::string& user_id);

 private:
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
