// The profile rules without a store: merging `set` (values replace, null
// removes, visibility per group), custom status expiry, what each audience
// sees, and the timestamps the expiry is read from.
#include "server/profile/profile_update.hpp"

#include <gtest/gtest.h>

#include "server/dispatch/iso_time.hpp"
#include "server/profile/profile_view.hpp"

using namespace qsip::server;
namespace core = qsip::core;

namespace {
simdjson::dom::parser parser;
simdjson::dom::object object(const std::string& json) {
  simdjson::dom::object o;
  EXPECT_FALSE(parser.parse(json).get(o)) << json;
  return o;
}
core::Outcome<ProfileChange> merge(Profile& p, const std::string& json) { return apply_profile_data(p, object(json)); }
}  // namespace

TEST(ProfileUpdate, MergesReplacesAndRemoves) {
  Profile p;
  auto first = merge(p, R"({"display_name":"Alice","pronouns":"she/her","x-team":{"name":"core"}})");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->fields, (std::vector<std::string>{"display_name", "pronouns", "x-team"}));
  EXPECT_EQ(p.fields.at("x-team"), R"({"name":"core"})");

  auto second = merge(p, R"({"display_name":"Alice B","pronouns":null,"x-team":{"name":"core"},"gone":null})");
  ASSERT_TRUE(second.ok());
  // Unchanged values and removing what is absent are not changes.
  EXPECT_EQ(second->fields, (std::vector<std::string>{"display_name", "pronouns"}));
  EXPECT_EQ(p.fields.at("display_name"), R"("Alice B")");
  EXPECT_FALSE(p.fields.contains("pronouns"));
  EXPECT_TRUE(p.fields.contains("x-team"));
}

TEST(ProfileUpdate, VisibilityPerGroupAndReset) {
  Profile p;
  EXPECT_EQ(p.visibility_of(FieldGroup::kBasic), Visibility::kEveryone);
  EXPECT_EQ(p.visibility_of(FieldGroup::kStatus), Visibility::kContacts);
  auto set = merge(p, R"({"visibility":{"status":"nobody","work":"everyone"}})");
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->visibility);
  EXPECT_TRUE(set->fields.empty());
  EXPECT_EQ(p.visibility_of(FieldGroup::kStatus), Visibility::kNobody);
  EXPECT_EQ(p.visibility_of(FieldGroup::kWork), Visibility::kEveryone);
  ASSERT_TRUE(merge(p, R"({"visibility":{"status":null}})").ok());
  EXPECT_EQ(p.visibility_of(FieldGroup::kStatus), Visibility::kContacts);
  ASSERT_TRUE(merge(p, R"({"visibility":null})").ok());
  EXPECT_TRUE(p.visibility.empty());
}

TEST(ProfileUpdate, RefusesBadVisibilityAndLeavesTheProfileAlone) {
  Profile p;
  ASSERT_TRUE(merge(p, R"({"display_name":"A"})").ok());
  auto bad_group = merge(p, R"({"display_name":"B","visibility":{"secrets":"nobody"}})");
  ASSERT_FALSE(bad_group.ok());
  EXPECT_EQ(bad_group.failure().code, core::ErrorCode::kMalformedPayload);
  EXPECT_EQ(bad_group.failure().detail, "payload.profile_data.visibility.secrets: unknown group (basic, status, work, other)");
  EXPECT_EQ(p.fields.at("display_name"), R"("A")");
  auto bad_level = merge(p, R"({"visibility":{"basic":"friends"}})");
  ASSERT_FALSE(bad_level.ok());
  EXPECT_NE(bad_level.failure().detail.find("everyone, contacts or nobody"), std::string::npos);
  EXPECT_FALSE(merge(p, R"({"visibility":"nobody"})").ok());
}

TEST(ProfileUpdate, CustomStatusExpiryIsReadAndClearsTheWholeStatus) {
  Profile p;
  ASSERT_TRUE(merge(p, R"({"custom_status_emoji":"🌴","custom_status_text":"Away","custom_status_expires_at":"2025-06-01T12:00:00.250Z","display_name":"A"})").ok());
  EXPECT_EQ(p.status_expires_at_ms, *parse_timestamp_ms("2025-06-01T12:00:00.250Z"));
  EXPECT_FALSE(clear_expired_status(p, p.status_expires_at_ms - 1));
  EXPECT_TRUE(clear_expired_status(p, p.status_expires_at_ms));
  EXPECT_EQ(p.fields.size(), 1u);
  EXPECT_EQ(p.status_expires_at_ms, 0);
  // Removing the expiry keeps the status for good.
  ASSERT_TRUE(merge(p, R"({"custom_status_text":"Busy","custom_status_expires_at":"2025-06-01T12:00:00Z"})").ok());
  ASSERT_TRUE(merge(p, R"({"custom_status_expires_at":null})").ok());
  EXPECT_EQ(p.status_expires_at_ms, 0);
  EXPECT_FALSE(clear_expired_status(p, unix_now_ms()));
}

TEST(ProfileUpdate, HoldsABoundedNumberOfFields) {
  Profile p;
  std::string json = "{";
  for (std::size_t i = 0; i <= kMaxProfileFields; ++i) json += (i ? "," : "") + ("\"f" + std::to_string(i) + "\":1");
  json += "}";
  auto outcome = merge(p, json);
  ASSERT_FALSE(outcome.ok());
  EXPECT_TRUE(p.fields.empty());
}

TEST(ProfileView, EachAudienceSeesItsGroups) {
  Profile p;
  ASSERT_TRUE(merge(p, R"({"display_name":"A","custom_status_text":"Hi","department":"R&D","x":1,"visibility":{"work":"nobody"}})").ok());
  EXPECT_EQ(profile_data_json(p, Audience::kOther), R"({"display_name":"A"})");
  EXPECT_EQ(profile_data_json(p, Audience::kContact), R"({"custom_status_text":"Hi","display_name":"A","x":1})");
  EXPECT_EQ(profile_data_json(p, Audience::kOwner),
            R"({"custom_status_text":"Hi","department":"R&D","display_name":"A","x":1,)"
            R"("visibility":{"basic":"everyone","status":"contacts","work":"nobody","other":"contacts"}})");
  EXPECT_TRUE(any_visible(p, {"department", "display_name"}, Audience::kOther));
  EXPECT_FALSE(any_visible(p, {"department", "custom_status_text"}, Audience::kOther));
}

TEST(IsoTime, ParsesWireTimestamps) {
  EXPECT_EQ(parse_timestamp_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_timestamp_ms("1970-01-02T00:00:01.5Z"), 86'401'500);
  EXPECT_EQ(parse_timestamp_ms("2025-06-01T09:00:00Z"), 1'748'768'400'000);
  EXPECT_FALSE(parse_timestamp_ms("2025-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp_ms("2025-06-01 09:00:00"));
}
