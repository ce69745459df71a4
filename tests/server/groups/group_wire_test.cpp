// GROUP on the wire: requests read into GroupRequest (the checks the type
// table cannot make), and everything the module sends, notices and data
// answers alike, valid by the project's own type table (what
// `qsip validate` and other implementations check).
#include <gtest/gtest.h>

#include "core/envelope_builder.hpp"
#include "core/message_validator.hpp"
#include "group_fixture.hpp"
#include "server/groups/group_notice.hpp"
#include "server/groups/group_request.hpp"

using namespace qsip;
using namespace qsip::server;
using core::ErrorCode;
using qsip::server::test::GroupFixture;

namespace {

std::string group_message(std::string_view payload, std::string_view from = "u-alice") {
  core::EnvelopeFields f;
  f.message_id = "m-1";
  f.timestamp = "2025-06-01T00:00:00Z";
  f.type = "GROUP";
  f.from_user_id = from;
  f.from_device_id = "d-1";
  return core::build_envelope(f, payload);
}

class GroupWire : public GroupFixture {
 protected:
  core::Outcome<GroupRequest> read(std::string_view payload) {
    json = group_message(payload);
    auto view = validator.validate(json);
    if (!view) return view.failure();
    return read_group_request(view.value(), "u-alice", 5);
  }
  void expect_valid(std::string_view payload) {
    auto message = group_message(payload, "qsip-server");
    auto view = validator.validate(message);
    EXPECT_TRUE(view.ok()) << payload << ": " << (view.ok() ? "" : view.failure().detail);
  }
  core::MessageValidator validator;
  std::string json;
};

}  // namespace

TEST_F(GroupWire, ReadsTheDraftsFieldsAndTheExtensions) {
  auto r = read(R"({"action":"create","group_id":"g-x","name":"N","topic":"T","avatar_url":"https://a/b.png",
                    "members":["u-bob","u-bob","u-carol"],"visibility":"public","workspace_id":"w-1",
                    "settings":{"join_requests":true,"theme":"dark"}})");
  ASSERT_TRUE(r.ok()) << r.failure().detail;
  EXPECT_EQ(r->action, GroupAction::kCreate);
  EXPECT_EQ(r->group_id, "g-x");
  EXPECT_EQ(r->name, "N");
  EXPECT_EQ(r->topic, "T");
  EXPECT_EQ(r->avatar_url, "https://a/b.png");
  EXPECT_EQ(r->is_public, true);
  EXPECT_EQ(r->workspace_id, "w-1");
  EXPECT_EQ(r->members, (std::vector<std::string>{"u-bob", "u-carol"})) << "repeats dropped";
  EXPECT_TRUE(r->join_requests);
  EXPECT_EQ(r->settings_json, R"({"join_requests":true,"theme":"dark"})");
  EXPECT_EQ(r->user_id, "u-alice");
  EXPECT_EQ(r->message_id, "m-1");

  auto page = read(R"({"action":"list_members","group_id":"g","limit":10,"offset":3,"cursor":"u-b"})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->limit, 10);
  EXPECT_EQ(page->offset, 3);
  EXPECT_EQ(page->cursor, "u-b");
  auto role = read(R"({"action":"set_role","group_id":"g","target_user_id":"u-b","role":"moderator"})");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->role, GroupRole::kModerator);
}

TEST_F(GroupWire, RefusesWhatTheTypeTableCannotSee) {
  struct Case {
    const char* payload;
    ErrorCode code;
    const char* detail;
  };
  const Case cases[] = {
      {R"({"action":"member_joined","group_id":"g"})", ErrorCode::kActionNotSupported,
       "payload.action: member_joined is sent by the server, not to it"},
      {R"({"action":"update","group_id":"g","settings":[]})", ErrorCode::kMalformedPayload, "payload.settings: must be an object"},
      {R"({"action":"update","group_id":"g","settings":{"join_requests":"yes"}})", ErrorCode::kMalformedPayload,
       "payload.settings.join_requests: must be a boolean"},
      {R"({"action":"invite","group_id":"g","members":[""]})", ErrorCode::kMalformedPayload,
       "payload.members: user ids of 1 to 256 bytes"},
      {R"({"action":"list_members","group_id":"g","limit":0})", ErrorCode::kMalformedPayload, "payload.limit: 1 to 500"},
      {R"({"action":"list_members","group_id":"g","limit":501})", ErrorCode::kMalformedPayload, "payload.limit: 1 to 500"},
      {R"({"action":"list_members","group_id":"g","cursor":7})", ErrorCode::kMalformedPayload,
       "payload.cursor: must be a string from next_cursor"},
  };
  for (const auto& c : cases) {
    auto r = read(c.payload);
    ASSERT_FALSE(r.ok()) << c.payload;
    EXPECT_EQ(r.failure().code, c.code) << c.payload;
    EXPECT_EQ(r.failure().detail, c.detail);
    EXPECT_EQ(r.failure().target_message_id, "m-1");
  }
  std::string many = R"({"action":"invite","group_id":"g","members":[)";
  for (int i = 0; i <= 100; ++i) many += (i ? ",\"u-" : "\"u-") + std::to_string(i) + "\"";
  auto r = read(many + "]}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().detail, "payload.members: at most 100 users at a time");
}

TEST_F(GroupWire, EveryNoticeIsAValidGroupMessage) {
  GroupRecord g;
  g.group_id = "g-1";
  g.name = "Team";
  g.topic = "t";
  g.settings_json = R"({"join_requests":true})";
  expect_valid(invited_to_group_payload(g, "u-alice"));
  expect_valid(member_joined_payload(g, "u-bob", GroupRole::kMember, "u-alice"));
  expect_valid(member_left_payload("g-1", "u-bob", "kicked", "u-alice"));
  expect_valid(role_changed_payload("g-1", "u-bob", GroupRole::kAdmin, GroupRole::kMember, "u-alice"));
  expect_valid(group_updated_payload(g, "u-alice"));
  expect_valid(group_deleted_payload("g-1", "u-alice"));
  expect_valid(join_requested_payload("g-1", "u-bob"));
  expect_valid(join_denied_payload("g-1", "u-bob", "u-alice"));
}

TEST_F(GroupWire, DataAnswersAreValidGroupMessages) {
  make_group("g");
  for (auto action : {GroupAction::kGetInfo, GroupAction::kListMembers}) {
    auto o = act(request("u-owner", action, "g"));
    ASSERT_FALSE(o.error);
    expect_valid(o.data_json);
  }
}
