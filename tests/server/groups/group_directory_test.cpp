// group_directory: what messaging and search ask, on a second connection
// (as a worker's reader) that sees every commit of the writer's.
#include "server/groups/group_directory.hpp"

#include <gtest/gtest.h>

#include "group_fixture.hpp"

using namespace qsip::server;
using qsip::server::test::GroupFixture;

namespace {
class GroupDirectory : public GroupFixture {
 protected:
  GroupDirectory() : reader(path_.string(), qsip::store::SyncPolicy::kNormal) {}
  qsip::store::SqliteDatabase reader;
};
}  // namespace

TEST_F(GroupDirectory, AnswersMembershipQuestions) {
  make_group("g-a");
  make_group("g-b");
  EXPECT_TRUE(group_directory::exists(reader, "g-a"));
  EXPECT_FALSE(group_directory::exists(reader, "g-none"));
  EXPECT_EQ(group_directory::members(reader, "g-a"),
            (std::vector<std::string>{"u-admin", "u-member", "u-mod", "u-owner", "u-target"}));
  EXPECT_TRUE(group_directory::members(reader, "g-none").empty());
  EXPECT_TRUE(group_directory::is_member(reader, "u-mod", "g-a"));
  EXPECT_FALSE(group_directory::is_member(reader, "u-req", "g-a")) << "a request is not membership";
  EXPECT_EQ(group_directory::groups_of(reader, "u-member"), (std::vector<std::string>{"g-a", "g-b"}));
  EXPECT_TRUE(group_directory::groups_of(reader, "u-out").empty());
}

TEST_F(GroupDirectory, SeesChangesCommittedAfterItsLastRead) {
  make_group("g");
  EXPECT_FALSE(group_directory::is_member(reader, "u-new", "g"));
  groups.set_member("g", "u-new", GroupRole::kMember, 9);
  EXPECT_TRUE(group_directory::is_member(reader, "u-new", "g"));
  groups.delete_group("g", 10);
  EXPECT_FALSE(group_directory::exists(reader, "g"));
  EXPECT_TRUE(group_directory::members(reader, "g").empty());
  EXPECT_TRUE(group_directory::groups_of(reader, "u-new").empty());
}

TEST_F(GroupDirectory, FindsPublicGroupsByNameOrTopic) {
  make_group("g-1", /*is_public=*/true);
  make_group("g-2", /*is_public=*/false);
  GroupRecord odd;
  odd.group_id = "g-3";
  odd.name = "100% Rust_fans";
  odd.topic = "systems";
  odd.is_public = true;
  odd.created_by = "u-owner";
  groups.insert_group(odd);
  auto page = group_directory::public_groups(reader, "group", 10, 0);
  EXPECT_EQ(page.total, 1);
  ASSERT_EQ(page.groups.size(), 1u);
  EXPECT_EQ(page.groups[0].group_id, "g-1") << "the private one is not listed";
  EXPECT_EQ(group_directory::public_groups(reader, "% rust_", 10, 0).total, 1) << "wildcards are literal";
  EXPECT_EQ(group_directory::public_groups(reader, "x%", 10, 0).total, 0);
  EXPECT_EQ(group_directory::public_groups(reader, "SYSTEMS", 10, 0).total, 1);
  EXPECT_EQ(group_directory::public_groups(reader, "", 1, 1).groups.size(), 1u) << "paged";
}
