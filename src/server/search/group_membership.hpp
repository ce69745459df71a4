// What search asks of groups: which groups a user belongs to (their
// conversations are searchable by members only) and which public groups
// match a query (SEARCH action "group"). The groups module implements it
// when it arrives (the groups issue); until then NoGroups says nobody is in
// any group and no group is public, so search finds direct conversations
// only and "group" answers an empty result set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// One public group as SEARCH lists it.
struct GroupHit {
  std::string group_id;
  std::string name;
};

struct GroupPage {
  std::vector<GroupHit> hits;
  std::int64_t total = 0;  // every match, not only this page
};

class GroupMembership {
 public:
  virtual ~GroupMembership() = default;
  // Called on a worker thread with that worker's read connection (`reader`).
  // The group (and channel) ids whose conversations `user` may read now.
  virtual std::vector<std::string> groups_of(store::SqliteDatabase& reader, const std::string& user) = 0;
  // Public groups matching `query`, best first, the page [offset, offset + limit).
  virtual GroupPage public_groups_matching(store::SqliteDatabase& reader, std::string_view query, std::int64_t limit,
                                           std::int64_t offset) = 0;
};

class NoGroups final : public GroupMembership {
 public:
  std::vector<std::string> groups_of(store::SqliteDatabase&, const std::string&) override { return {}; }
  GroupPage public_groups_matching(store::SqliteDatabase&, std::string_view, std::int64_t, std::int64_t) override {
    return {};
  }
};

}  // namespace qsip::server
