#include "server/serving/group_membership_adapter.hpp"

#include "server/groups/group_directory.hpp"

namespace qsip::server {

std::vector<std::string> GroupDirectoryMembership::groups_of(store::SqliteDatabase& reader, const std::string& user) {
  return group_directory::groups_of(reader, user);
}

GroupPage GroupDirectoryMembership::public_groups_matching(store::SqliteDatabase& reader, std::string_view query,
                                                           std::int64_t limit, std::int64_t offset) {
  auto found = group_directory::public_groups(reader, query, limit, offset);
  GroupPage page;
  page.total = found.total;
  for (auto& g : found.groups) page.hits.push_back({std::move(g.group_id), std::move(g.name)});
  return page;
}

}  // namespace qsip::server
