#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE workspaces (
        workspace_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER  -- set: a tombstone, the id is never reused
      );
      CREATE TABLE workspace_members (
        workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id),
        user_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      );
      -- list (the user's workspaces) and the channel listing look up by user.
      CREATE INDEX workspace_members_by_user ON workspace_members(user_id);
      CREATE TABLE workspace_invitations (
        workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id),
        user_id TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        invited_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX workspace_invitations_by_user ON workspace_invitations(user_id);
    )sql"},
};

constexpr const char* kColumns = "workspace_id, name, description, visibility, created_by, created_at, updated_at";

WorkspaceRecord read_workspace(const store::Statement& q, int first = 0) {
  return WorkspaceRecord{q.text(first), q.text(first + 1), q.text(first + 2), q.text(first + 3) == "public",
                         q.text(first + 4), q.integer(first + 5), q.integer(first + 6)};
}

}  // namespace

std::span<const store::Migration> workspace_migrations() { return kMigrations; }

std::optional<WorkspaceRecord> WorkspaceStore::workspace(const std::string& workspace_id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM workspaces WHERE workspace_id = ?1 AND deleted_at IS NULL";
  auto& q = db_.cached(sql);
  q.bind(1, workspace_id);
  if (!q.step()) return std::nullopt;
  auto w = read_workspace(q);
  q.reset();
  return w;
}

bool WorkspaceStore::id_taken(const std::string& workspace_id) {
  auto& q = db_.cached("SELECT 1 FROM workspaces WHERE workspace_id = ?1");
  q.bind(1, workspace_id);
  bool found = q.step();
  q.reset();
  return found;
}

void WorkspaceStore::insert(const WorkspaceRecord& w) {
  static const std::string sql = std::string("INSERT INTO workspaces(") + kColumns + ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  db_.cached(sql)
      .bind(1, w.workspace_id).bind(2, w.name).bind(3, w.description).bind(4, w.is_public ? "public" : "private")
      .bind(5, w.created_by).bind(6, w.created_at_ms).bind(7, w.updated_at_ms)
      .run();
}

void WorkspaceStore::remove(const std::string& workspace_id, std::int64_t now_ms) {
  db_.cached("DELETE FROM workspace_members WHERE workspace_id = ?1").bind(1, workspace_id).run();
  db_.cached("DELETE FROM workspace_invitations WHERE workspace_id = ?1").bind(1, workspace_id).run();
  db_.cached("UPDATE workspaces SET deleted_at = ?2, updated_at = ?2 WHERE workspace_id = ?1")
      .bind(1, workspace_id).bind(2, now_ms).run();
}

std::optional<WorkspaceRole> WorkspaceStore::role_of(const std::string& workspace_id, const std::string& user_id) {
  auto& q = db_.cached("SELECT role FROM workspace_members WHERE workspace_id = ?1 AND user_id = ?2");
  q.bind(1, workspace_id).bind(2, user_id);
  if (!q.step()) return std::nullopt;
  auto role = parse_workspace_role(q.text(0));
  q.reset();
  return role;
}

void WorkspaceStore::set_member(const std::string& workspace_id, const std::string& user_id, WorkspaceRole role,
                                std::int64_t now_ms) {
  db_.cached("INSERT INTO workspace_members(workspace_id, user_id, role, joined_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(workspace_id, user_id) DO UPDATE SET role = excluded.role")
      .bind(1, workspace_id).bind(2, user_id).bind(3, role_name(role)).bind(4, now_ms).run();
}

void WorkspaceStore::set_role(const std::string& workspace_id, const std::string& user_id, WorkspaceRole role) {
  db_.cached("UPDATE workspace_members SET role = ?3 WHERE workspace_id = ?1 AND user_id = ?2")
      .bind(1, workspace_id).bind(2, user_id).bind(3, role_name(role)).run();
}

bool WorkspaceStore::remove_member(const std::string& workspace_id, const std::string& user_id) {
  db_.cached("DELETE FROM workspace_members WHERE workspace_id = ?1 AND user_id = ?2")
      .bind(1, workspace_id).bind(2, user_id).run();
  return db_.changes() == 1;
}

std::vector<std::string> WorkspaceStore::member_ids(const std::string& workspace_id) {
  auto& q = db_.cached("SELECT user_id FROM workspace_members WHERE workspace_id = ?1 ORDER BY user_id");
  q.bind(1, workspace_id);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<WorkspaceMember> WorkspaceStore::members_page(const std::string& workspace_id, const std::string& after_user,
                                                          std::int64_t offset, std::int64_t limit) {
  auto& q = db_.cached(
      "SELECT user_id, role, joined_at FROM workspace_members WHERE workspace_id = ?1 AND user_id > ?2 "
      "ORDER BY user_id LIMIT ?3 OFFSET ?4");
  q.bind(1, workspace_id).bind(2, after_user).bind(3, limit).bind(4, offset);
  std::vector<WorkspaceMember> out;
  while (q.step())
    out.push_back({q.text(0), parse_workspace_role(q.text(1)).value_or(WorkspaceRole::kMember), q.integer(2)});
  return out;
}

std::int64_t WorkspaceStore::member_count(const std::string& workspace_id) {
  auto& q = db_.cached("SELECT COUNT(*) FROM workspace_members WHERE workspace_id = ?1");
  q.bind(1, workspace_id);
  std::int64_t n = q.step() ? q.integer(0) : 0;
  q.reset();
  return n;
}

std::int64_t WorkspaceStore::owner_count(const std::string& workspace_id) {
  auto& q = db_.cached("SELECT COUNT(*) FROM workspace_members WHERE workspace_id = ?1 AND role = 'owner'");
  q.bind(1, workspace_id);
  std::int64_t n = q.step() ? q.integer(0) : 0;
  q.reset();
  return n;
}

std::vector<WorkspaceMembership> WorkspaceStore::workspaces_of(const std::string& user_id, const std::string& after_id,
                                                               std::int64_t limit) {
  static const std::string sql =
      "SELECT m.role, w.workspace_id, w.name, w.description, w.visibility, w.created_by, w.created_at, w.updated_at "
      "FROM workspace_members m JOIN workspaces w ON w.workspace_id = m.workspace_id "
      "WHERE m.user_id = ?1 AND w.deleted_at IS NULL AND w.workspace_id > ?2 ORDER BY w.workspace_id LIMIT ?3";
  auto& q = db_.cached(sql);
  q.bind(1, user_id).bind(2, after_id).bind(3, limit);
  std::vector<WorkspaceMembership> out;
  while (q.step())
    out.push_back({read_workspace(q, 1), parse_workspace_role(q.text(0)).value_or(WorkspaceRole::kMember)});
  return out;
}

void WorkspaceStore::invite(const std::string& workspace_id, const std::string& user_id, const std::string& by,
                            std::int64_t now_ms) {
  db_.cached("INSERT INTO workspace_invitations(workspace_id, user_id, invited_by, invited_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(workspace_id, user_id) DO UPDATE SET invited_by = excluded.invited_by, "
             "invited_at = excluded.invited_at")
      .bind(1, workspace_id).bind(2, user_id).bind(3, by).bind(4, now_ms).run();
}

bool WorkspaceStore::is_invited(const std::string& workspace_id, const std::string& user_id) {
  auto& q = db_.cached("SELECT 1 FROM workspace_invitations WHERE workspace_id = ?1 AND user_id = ?2");
  q.bind(1, workspace_id).bind(2, user_id);
  bool found = q.step();
  q.reset();
  return found;
}

bool WorkspaceStore::remove_invitation(const std::string& workspace_id, const std::string& user_id) {
  db_.cached("DELETE FROM workspace_invitations WHERE workspace_id = ?1 AND user_id = ?2")
      .bind(1, workspace_id).bind(2, user_id).run();
  return db_.changes() == 1;
}

std::vector<std::string> WorkspaceStore::invitees(const std::string& workspace_id) {
  auto& q = db_.cached("SELECT user_id FROM workspace_invitations WHERE workspace_id = ?1 ORDER BY user_id");
  q.bind(1, workspace_id);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<WorkspaceInvitation> WorkspaceStore::invitations_for(const std::string& user_id) {
  auto& q = db_.cached(
      "SELECT i.workspace_id, i.invited_by FROM workspace_invitations i JOIN workspaces w "
      "ON w.workspace_id = i.workspace_id WHERE i.user_id = ?1 AND w.deleted_at IS NULL "
      "ORDER BY i.invited_at, i.workspace_id");
  q.bind(1, user_id);
  std::vector<WorkspaceInvitation> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

}  // namespace qsip::server
