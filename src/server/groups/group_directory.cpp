#include "server/groups/group_directory.hpp"

#include "server/groups/group_store.hpp"

namespace qsip::server::group_directory {

std::vector<std::string> members(store::SqliteDatabase& reader, const std::string& group_id) {
  reader.end_open_reads();
  // Members are removed with their group, so no existence check is needed.
  return GroupStore(reader).member_ids(group_id);
}

bool exists(store::SqliteDatabase& reader, const std::string& group_id) {
  reader.end_open_reads();
  return GroupStore(reader).group(group_id).has_value();
}

bool is_member(store::SqliteDatabase& reader, const std::string& user_id, const std::string& group_id) {
  reader.end_open_reads();
  return GroupStore(reader).role_of(group_id, user_id).has_value();
}

std::vector<std::string> groups_of(store::SqliteDatabase& reader, const std::string& user_id) {
  reader.end_open_reads();
  return GroupStore(reader).groups_of(user_id);
}

PublicGroupPage public_groups(store::SqliteDatabase& reader, std::string_view text, std::int64_t limit,
                              std::int64_t offset) {
  reader.end_open_reads();
  auto found = GroupStore(reader).public_groups(text, limit, offset);
  PublicGroupPage page;
  page.total = found.total;
  for (auto& g : found.groups) page.groups.push_back({std::move(g.group_id), std::move(g.name), std::move(g.topic)});
  return page;
}

}  // namespace qsip::server::group_directory
