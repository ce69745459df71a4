// Groups, their members with roles, pending invitations and join requests
// (draft 5.14), persisted in the SQLite store (module "groups"). Reads and
// writes on a connection the caller owns: the writer thread for changes, a
// worker's reader for lookups. A deleted group stays as a tombstone so that
// its id is never given to a new group (its conversation's history must not
// reach the members of another group with the same id).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/groups/group_role.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct GroupRecord {
  std::string group_id;
  std::string name;
  std::string topic;
  std::string avatar_url;
  bool is_public = false;
  std::string workspace_id;          // empty: none
  std::string settings_json = "{}";  // as the client gave it (docs/groups.md "Settings")
  bool join_requests = false;        // settings.join_requests, kept apart for the join check
  std::string created_by;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  bool is_channel = false;  // kind 'channel' (CHANNEL, docs/groups.md "Channels")
};

struct MemberRecord {
  std::string user_id;
  GroupRole role = GroupRole::kMember;
  std::int64_t joined_at_ms = 0;
};

// An invitation waiting for its invitee, as the invitee is told of it.
struct PendingInvitation {
  std::string group_id;
  std::string invited_by;
};

// A join request waiting for a moderator, admin or owner.
struct PendingJoinRequest {
  std::string group_id;
  std::string user_id;
};

// The module's tables.
std::span<const store::Migration> group_migrations();

class GroupStore {
 public:
  explicit GroupStore(store::SqliteDatabase& db) : db_(db) {}

  // Groups. group(): live groups only. id_taken(): live or deleted.
  std::optional<GroupRecord> group(const std::string& group_id);
  bool id_taken(const std::string& group_id);
  void insert_group(const GroupRecord& group);
  void update_group(const GroupRecord& group);  // every field but id, creator and creation time
  // Tombstones the group and drops its members, invitations and requests.
  void delete_group(const std::string& group_id, std::int64_t now_ms);

  // Members.
  std::optional<GroupRole> role_of(const std::string& group_id, const std::string& user_id);
  void set_member(const std::string& group_id, const std::string& user_id, GroupRole role, std::int64_t now_ms);
  void set_role(const std::string& group_id, const std::string& user_id, GroupRole role);
  bool remove_member(const std::string& group_id, const std::string& user_id);
  // Every member id, ordered by user id.
  std::vector<std::string> member_ids(const std::string& group_id);
  // Members holding `least` or a higher role (who is told of join requests).
  std::vector<std::string> member_ids_from(const std::string& group_id, GroupRole least);
  // A page in user id order: those after `after_user` (empty: from the
  // first), skipping `offset`, at most `limit`.
  std::vector<MemberRecord> members_page(const std::string& group_id, const std::string& after_user,
                                         std::int64_t offset, std::int64_t limit);
  std::int64_t member_count(const std::string& group_id);
  std::int64_t owner_count(const std::string& group_id);
  // The live groups `user_id` belongs to, by group id.
  std::vector<std::string> groups_of(const std::string& user_id);

  // Invitations (one per invitee and group; inviting again refreshes it).
  void invite(const std::string& group_id, const std::string& user_id, const std::string& by, std::int64_t now_ms);
  bool is_invited(const std::string& group_id, const std::string& user_id);
  bool remove_invitation(const std::string& group_id, const std::string& user_id);
  std::vector<std::string> invitees(const std::string& group_id);
  std::vector<PendingInvitation> invitations_for(const std::string& user_id);

  // Join requests to private groups (docs/groups.md "Joining").
  void request_join(const std::string& group_id, const std::string& user_id, std::int64_t now_ms);
  bool has_join_request(const std::string& group_id, const std::string& user_id);
  bool remove_join_request(const std::string& group_id, const std::string& user_id);
  std::vector<std::string> requesters(const std::string& group_id);
  // Requests waiting in the groups where `user_id` is moderator or above.
  std::vector<PendingJoinRequest> join_requests_for_approver(const std::string& user_id);

  // Public groups whose name or topic contains `text` (case-insensitive for
  // ASCII), by name; `total` counts every match.
  struct PublicPage {
    std::vector<GroupRecord> groups;
    std::int64_t total = 0;
  };
  PublicPage public_groups(std::string_view text, std::int64_t limit, std::int64_t offset);

  // The live groups and channels of a workspace, by id.
  std::vector<GroupRecord> groups_in_workspace(const std::string& workspace_id);
  // CHANNEL list: the channels `user_id` can see (its own, public ones of its
  // workspaces, public ones outside workspaces), in `workspace_id` when not
  // empty, by id after `after_id`, at most `limit`.
  std::vector<GroupRecord> channels_visible_to(const std::string& user_id, const std::string& workspace_id,
                                               const std::string& after_id, std::int64_t limit);

  // The connection, for the checks that read other modules' tables
  // (effective_role reads workspace roles).
  store::SqliteDatabase& database() { return db_; }

 private:
  std::vector<std::string> ids(std::string_view sql, const std::string& key);
  bool any(std::string_view sql, const std::string& a, const std::string& b);
  std::int64_t count(std::string_view sql, const std::string& key);
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
