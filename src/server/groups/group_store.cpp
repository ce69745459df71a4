#include "server/groups/group_store.hpp"

namespace qsip::server {

namespace {

// `chat_groups`, not `groups`: GROUPS is an SQL keyword (window frames).
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE chat_groups (
        group_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        topic TEXT NOT NULL DEFAULT '',
        avatar_url TEXT NOT NULL DEFAULT '',
        visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
        workspace_id TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}',
        join_requests INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER  -- set: a tombstone, the id is never reused
      );
      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES chat_groups(group_id),
        user_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'moderator', 'member')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
      -- groups_of (message routing, search) looks up by user.
      CREATE INDEX group_members_by_user ON group_members(user_id);
      CREATE TABLE group_invitations (
        group_id TEXT NOT NULL REFERENCES chat_groups(group_id),
        user_id TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        invited_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX group_invitations_by_user ON group_invitations(user_id);
      CREATE TABLE group_join_requests (
        group_id TEXT NOT NULL REFERENCES chat_groups(group_id),
        user_id TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
    )sql"},
    // Channels (docs/groups.md "Channels") are conversations of this module
    // too: one id namespace, one membership, one routing for both kinds.
    // Workspaces list and delete their groups by workspace_id.
    {2, R"sql(
      ALTER TABLE chat_groups ADD COLUMN kind TEXT NOT NULL DEFAULT 'group' CHECK (kind IN ('group', 'channel'));
      CREATE INDEX chat_groups_by_workspace ON chat_groups(workspace_id) WHERE workspace_id <> '';
    )sql"},
};

constexpr std::string_view kGroupColumns =
    "group_id, name, topic, avatar_url, visibility, workspace_id, settings, join_requests, created_by, created_at, "
    "updated_at, kind";

GroupRecord read_group(const store::Statement& q) {
  return GroupRecord{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4) == "public", q.text(5), q.text(6),
                     q.integer(7) != 0, q.text(8), q.integer(9), q.integer(10), q.text(11) == "channel"};
}

std::string with_columns(std::string_view before, std::string_view after) {
  std::string sql(before);
  sql += kGroupColumns;
  sql += after;
  return sql;
}

// `text` as a LIKE pattern matching it anywhere, its wildcards escaped.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace

std::span<const store::Migration> group_migrations() { return kMigrations; }

std::optional<GroupRecord> GroupStore::group(const std::string& group_id) {
  static const std::string sql = with_columns("SELECT ", " FROM chat_groups WHERE group_id = ?1 AND deleted_at IS NULL");
  auto& q = db_.cached(sql);
  q.bind(1, group_id);
  if (!q.step()) return std::nullopt;
  auto g = read_group(q);
  q.reset();
  return g;
}

bool GroupStore::id_taken(const std::string& group_id) {
  auto& q = db_.cached("SELECT 1 FROM chat_groups WHERE group_id = ?1");
  q.bind(1, group_id);
  bool found = q.step();
  q.reset();
  return found;
}

void GroupStore::insert_group(const GroupRecord& g) {
  static const std::string sql =
      with_columns("INSERT INTO chat_groups(", ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  db_.cached(sql)
      .bind(1, g.group_id).bind(2, g.name).bind(3, g.topic).bind(4, g.avatar_url)
      .bind(5, g.is_public ? "public" : "private").bind(6, g.workspace_id).bind(7, g.settings_json)
      .bind(8, g.join_requests ? 1 : 0).bind(9, g.created_by).bind(10, g.created_at_ms).bind(11, g.updated_at_ms)
      .bind(12, g.is_channel ? "channel" : "group")
      .run();
}

void GroupStore::update_group(const GroupRecord& g) {
  db_.cached("UPDATE chat_groups SET name = ?2, topic = ?3, avatar_url = ?4, visibility = ?5, workspace_id = ?6, "
             "settings = ?7, join_requests = ?8, updated_at = ?9 WHERE group_id = ?1")
      .bind(1, g.group_id).bind(2, g.name).bind(3, g.topic).bind(4, g.avatar_url)
      .bind(5, g.is_public ? "public" : "private").bind(6, g.workspace_id).bind(7, g.settings_json)
      .bind(8, g.join_requests ? 1 : 0).bind(9, g.updated_at_ms)
      .run();
}

void GroupStore::delete_group(const std::string& group_id, std::int64_t now_ms) {
  db_.cached("DELETE FROM group_members WHERE group_id = ?1").bind(1, group_id).run();
  db_.cached("DELETE FROM group_invitations WHERE group_id = ?1").bind(1, group_id).run();
  db_.cached("DELETE FROM group_join_requests WHERE group_id = ?1").bind(1, group_id).run();
  db_.cached("UPDATE chat_groups SET deleted_at = ?2, updated_at = ?2 WHERE group_id = ?1")
      .bind(1, group_id).bind(2, now_ms).run();
}

std::optional<GroupRole> GroupStore::role_of(const std::string& group_id, const std::string& user_id) {
  auto& q = db_.cached("SELECT role FROM group_members WHERE group_id = ?1 AND user_id = ?2");
  q.bind(1, group_id).bind(2, user_id);
  if (!q.step()) return std::nullopt;
  auto role = parse_role(q.text(0));
  q.reset();
  return role;
}

void GroupStore::set_member(const std::string& group_id, const std::string& user_id, GroupRole role,
                            std::int64_t now_ms) {
  db_.cached("INSERT INTO group_members(group_id, user_id, role, joined_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(group_id, user_id) DO UPDATE SET role = excluded.role")
      .bind(1, group_id).bind(2, user_id).bind(3, role_name(role)).bind(4, now_ms).run();
}

void GroupStore::set_role(const std::string& group_id, const std::string& user_id, GroupRole role) {
  db_.cached("UPDATE group_members SET role = ?3 WHERE group_id = ?1 AND user_id = ?2")
      .bind(1, group_id).bind(2, user_id).bind(3, role_name(role)).run();
}

bool GroupStore::remove_member(const std::string& group_id, const std::string& user_id) {
  db_.cached("DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2").bind(1, group_id).bind(2, user_id).run();
  return db_.changes() == 1;
}

std::vector<std::string> GroupStore::ids(std::string_view sql, const std::string& key) {
  auto& q = db_.cached(sql);
  q.bind(1, key);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

bool GroupStore::any(std::string_view sql, const std::string& a, const std::string& b) {
  auto& q = db_.cached(sql);
  q.bind(1, a).bind(2, b);
  bool found = q.step();
  q.reset();
  return found;
}

std::int64_t GroupStore::count(std::string_view sql, const std::string& key) {
  auto& q = db_.cached(sql);
  q.bind(1, key);
  std::int64_t n = q.step() ? q.integer(0) : 0;
  q.reset();
  return n;
}

std::vector<std::string> GroupStore::member_ids(const std::string& group_id) {
  return ids("SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY user_id", group_id);
}

std::vector<std::string> GroupStore::member_ids_from(const std::string& group_id, GroupRole least) {
  // Roles as ranks in SQL, the same order as GroupRole.
  auto& q = db_.cached(
      "SELECT user_id FROM group_members WHERE group_id = ?1 AND "
      "(CASE role WHEN 'owner' THEN 3 WHEN 'admin' THEN 2 WHEN 'moderator' THEN 1 ELSE 0 END) >= ?2 "
      "ORDER BY user_id");
  q.bind(1, group_id).bind(2, static_cast<std::int64_t>(least));
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<MemberRecord> GroupStore::members_page(const std::string& group_id, const std::string& after_user,
                                                   std::int64_t offset, std::int64_t limit) {
  auto& q = db_.cached(
      "SELECT user_id, role, joined_at FROM group_members WHERE group_id = ?1 AND user_id > ?2 "
      "ORDER BY user_id LIMIT ?3 OFFSET ?4");
  q.bind(1, group_id).bind(2, after_user).bind(3, limit).bind(4, offset);
  std::vector<MemberRecord> out;
  while (q.step()) out.push_back({q.text(0), parse_role(q.text(1)).value_or(GroupRole::kMember), q.integer(2)});
  return out;
}

std::int64_t GroupStore::member_count(const std::string& group_id) {
  return count("SELECT COUNT(*) FROM group_members WHERE group_id = ?1", group_id);
}

std::int64_t GroupStore::owner_count(const std::string& group_id) {
  return count("SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND role = 'owner'", group_id);
}

std::vector<std::string> GroupStore::groups_of(const std::string& user_id) {
  // Members of deleted groups are removed with them; the join is a guard.
  return ids("SELECT m.group_id FROM group_members m JOIN chat_groups g ON g.group_id = m.group_id "
             "WHERE m.user_id = ?1 AND g.deleted_at IS NULL ORDER BY m.group_id",
             user_id);
}

void GroupStore::invite(const std::string& group_id, const std::string& user_id, const std::string& by,
                        std::int64_t now_ms) {
  db_.cached("INSERT INTO group_invitations(group_id, user_id, invited_by, invited_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(group_id, user_id) DO UPDATE SET invited_by = excluded.invited_by, "
             "invited_at = excluded.invited_at")
      .bind(1, group_id).bind(2, user_id).bind(3, by).bind(4, now_ms).run();
}

bool GroupStore::is_invited(const std::string& group_id, const std::string& user_id) {
  return any("SELECT 1 FROM group_invitations WHERE group_id = ?1 AND user_id = ?2", group_id, user_id);
}

bool GroupStore::remove_invitation(const std::string& group_id, const std::string& user_id) {
  db_.cached("DELETE FROM group_invitations WHERE group_id = ?1 AND user_id = ?2").bind(1, group_id).bind(2, user_id).run();
  return db_.changes() == 1;
}

std::vector<std::string> GroupStore::invitees(const std::string& group_id) {
  return ids("SELECT user_id FROM group_invitations WHERE group_id = ?1 ORDER BY user_id", group_id);
}

std::vector<PendingInvitation> GroupStore::invitations_for(const std::string& user_id) {
  auto& q = db_.cached("SELECT group_id, invited_by FROM group_invitations WHERE user_id = ?1 ORDER BY invited_at, group_id");
  q.bind(1, user_id);
  std::vector<PendingInvitation> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

void GroupStore::request_join(const std::string& group_id, const std::string& user_id, std::int64_t now_ms) {
  db_.cached("INSERT INTO group_join_requests(group_id, user_id, requested_at) VALUES(?1, ?2, ?3) "
             "ON CONFLICT(group_id, user_id) DO UPDATE SET requested_at = excluded.requested_at")
      .bind(1, group_id).bind(2, user_id).bind(3, now_ms).run();
}

bool GroupStore::has_join_request(const std::string& group_id, const std::string& user_id) {
  return any("SELECT 1 FROM group_join_requests WHERE group_id = ?1 AND user_id = ?2", group_id, user_id);
}

bool GroupStore::remove_join_request(const std::string& group_id, const std::string& user_id) {
  db_.cached("DELETE FROM group_join_requests WHERE group_id = ?1 AND user_id = ?2").bind(1, group_id).bind(2, user_id).run();
  return db_.changes() == 1;
}

std::vector<std::string> GroupStore::requesters(const std::string& group_id) {
  return ids("SELECT user_id FROM group_join_requests WHERE group_id = ?1 ORDER BY user_id", group_id);
}

std::vector<PendingJoinRequest> GroupStore::join_requests_for_approver(const std::string& user_id) {
  auto& q = db_.cached(
      "SELECT r.group_id, r.user_id FROM group_join_requests r JOIN group_members m ON m.group_id = r.group_id "
      "WHERE m.user_id = ?1 AND m.role IN ('owner', 'admin', 'moderator') ORDER BY r.requested_at, r.group_id, r.user_id");
  q.bind(1, user_id);
  std::vector<PendingJoinRequest> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

GroupStore::PublicPage GroupStore::public_groups(std::string_view text, std::int64_t limit, std::int64_t offset) {
  const std::string pattern = contains_pattern(text);
  constexpr std::string_view kMatch =
      " FROM chat_groups WHERE deleted_at IS NULL AND visibility = 'public' AND "
      "(name LIKE ?1 ESCAPE '\\' OR topic LIKE ?1 ESCAPE '\\')";
  PublicPage page;
  static const std::string count_sql = "SELECT COUNT(*)" + std::string(kMatch);
  page.total = count(count_sql, pattern);
  static const std::string page_sql = with_columns("SELECT ", std::string(kMatch) + " ORDER BY name, group_id LIMIT ?2 OFFSET ?3");
  auto& q = db_.cached(page_sql);
  q.bind(1, pattern).bind(2, limit).bind(3, offset);
  while (q.step()) page.groups.push_back(read_group(q));
  return page;
}

std::vector<GroupRecord> GroupStore::groups_in_workspace(const std::string& workspace_id) {
  static const std::string sql =
      with_columns("SELECT ", " FROM chat_groups WHERE workspace_id = ?1 AND deleted_at IS NULL ORDER BY group_id");
  auto& q = db_.cached(sql);
  q.bind(1, workspace_id);
  std::vector<GroupRecord> out;
  while (q.step()) out.push_back(read_group(q));
  return out;
}

std::vector<GroupRecord> GroupStore::channels_visible_to(const std::string& user_id, const std::string& workspace_id,
                                                         const std::string& after_id, std::int64_t limit) {
  // Its own channels, plus public ones outside workspaces and public ones of
  // the user's workspaces (the workspaces module's table, read here).
  static const std::string sql = with_columns(
      "SELECT ",
      " FROM chat_groups g WHERE g.kind = 'channel' AND g.deleted_at IS NULL AND g.group_id > ?2 "
      "AND (?3 = '' OR g.workspace_id = ?3) AND ("
      "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.group_id AND m.user_id = ?1) OR "
      "(g.visibility = 'public' AND (g.workspace_id = '' OR EXISTS (SELECT 1 FROM workspace_members w "
      "WHERE w.workspace_id = g.workspace_id AND w.user_id = ?1)))) ORDER BY g.group_id LIMIT ?4");
  auto& q = db_.cached(sql);
  q.bind(1, user_id).bind(2, after_id).bind(3, workspace_id).bind(4, limit);
  std::vector<GroupRecord> out;
  while (q.step()) out.push_back(read_group(q));
  return out;
}

}  // namespace qsip::server
