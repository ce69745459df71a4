// Search's GroupMembership answered by the groups module's directory: a
// user searches the conversations of the groups they belong to, and
// SEARCH "group" lists public groups (docs/search.md, docs/groups.md).
#pragma once

#include "server/search/group_membership.hpp"

namespace qsip::server {

class GroupDirectoryMembership final : public GroupMembership {
 public:
  std::vector<std::string> groups_of(store::SqliteDatabase& reader, const std::string& user) override;
  GroupPage public_groups_matching(store::SqliteDatabase& reader, std::string_view query, std::int64_t limit,
                                   std::int64_t offset) override;
};

}  // namespace qsip::server
