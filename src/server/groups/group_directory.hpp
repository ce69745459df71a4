// What other modules ask of groups: the messaging module routes a MESSAGE
// to `to.group_id` and checks that its sender is a member; search filters
// results to the searcher's groups. Free functions over a read connection
// the caller owns (a worker's `WorkerContext::reader`): each first ends the
// connection's open reads, so it sees everything committed so far, and
// leaves no statement open. Thread-safe as long as each thread uses its own
// connection. Deleted groups do not exist here. docs/groups.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server::group_directory {

// Members of a group (user ids, ordered), empty when the group does not exist.
std::vector<std::string> members(store::SqliteDatabase& reader, const std::string& group_id);

// True when the group exists (and was not deleted).
bool exists(store::SqliteDatabase& reader, const std::string& group_id);

// True when `user_id` is a member of `group_id`, whatever its role.
bool is_member(store::SqliteDatabase& reader, const std::string& user_id, const std::string& group_id);

// Groups the user belongs to (group ids, ordered).
std::vector<std::string> groups_of(store::SqliteDatabase& reader, const std::string& user_id);

// Public groups whose name or topic contains `text` (ASCII case-insensitive),
// ordered by name, the page [offset, offset + limit); `total` counts every
// match (SEARCH action "group").
struct PublicGroup {
  std::string group_id;
  std::string name;
  std::string topic;
};
struct PublicGroupPage {
  std::vector<PublicGroup> groups;
  std::int64_t total = 0;
};
PublicGroupPage public_groups(store::SqliteDatabase& reader, std::string_view text, std::int64_t limit,
                              std::int64_t offset);

}  // namespace qsip::server::group_directory
