// MODERATION on the wire: requests read into ModerationRequest (the checks
// the type table cannot make: duration or expiry, which actions take one,
// targets per action, bounded reasons), and what the module sends, notices
// and receipts alike, valid by the project's own type table.
#include <gtest/gtest.h>

#include "core/envelope_builder.hpp"
#include "core/message_validator.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/moderation/moderation_notice.hpp"
#include "server/moderation/moderation_request.hpp"

using namespace qsip;
using namespace qsip::server;
using core::ErrorCode;

namespace {

constexpr std::int64_t kNow = 1'780'000'000'000;  // 2026-05-28T...Z

std::string envelope(std::string_view type, std::string_view payload, std::string_view from = "u-mod") {
  core::EnvelopeFields f;
  f.message_id = "m-1";
  f.timestamp = "2025-06-01T00:00:00Z";
  f.type = type;
  f.from_user_id = from;
  f.from_device_id = "d-1";
  return core::build_envelope(f, payload);
}

class ModerationWire : public ::testing::Test {
 protected:
  core::Outcome<ModerationRequest> read(std::string_view payload) {
    json = envelope("MODERATION", payload);
    auto view = validator.validate(json);
    if (!view) return view.failure();
    return read_moderation_request(view.value(), "u-mod", "d-1", kNow);
  }
  // The error code and detail of a refused read.
  std::pair<int, std::string> refusal(std::string_view payload) {
    auto r = read(payload);
    if (r.ok()) return {0, ""};
    return {static_cast<int>(r.failure().code), r.failure().detail};
  }
  void expect_valid(std::string_view type, std::string_view payload) {
    auto message = envelope(type, payload, "qsip-server");
    auto view = validator.validate(message);
    EXPECT_TRUE(view.ok()) << payload << ": " << (view.ok() ? "" : view.failure().detail);
  }
  core::MessageValidator validator;
  std::string json;
};

}  // namespace

TEST_F(ModerationWire, ReadsEveryActionWithItsTargets) {
  auto mute = read(R"({"action":"mute_user_in_group","target_user_id":"u-sam","target_group_id":"g-1",
                       "reason":"off-topic","duration_seconds":86400})");
  ASSERT_TRUE(mute.ok()) << mute.failure().detail;
  EXPECT_EQ(mute->action, ModerationAction::kMute);
  EXPECT_EQ(mute->actor, "u-mod");
  EXPECT_EQ(mute->actor_device, "d-1");
  EXPECT_EQ(mute->message_id, "m-1");
  EXPECT_EQ(mute->target_user_id, "u-sam");
  EXPECT_EQ(mute->target_group_id, "g-1");
  EXPECT_EQ(mute->reason, "off-topic");
  EXPECT_EQ(mute->expires_at_ms, kNow + 86'400'000);

  auto del = read(R"({"action":"delete_message","target_message_id":"m-9","target_group_id":"g-1"})");
  ASSERT_TRUE(del.ok()) << del.failure().detail;
  EXPECT_EQ(del->action, ModerationAction::kDeleteMessage);
  EXPECT_EQ(del->target_message_id, "m-9");
  EXPECT_TRUE(del->target_user_id.empty());
  EXPECT_EQ(del->expires_at_ms, 0);

  auto warn = read(R"({"action":"warn_user","target_user_id":"u-sam"})");
  ASSERT_TRUE(warn.ok());
  EXPECT_TRUE(warn->target_group_id.empty());
  auto until = read(R"({"action":"suspend_user_account","target_user_id":"u-sam","expires_at":"2026-06-01T00:00:00Z"})");
  ASSERT_TRUE(until.ok()) << until.failure().detail;
  EXPECT_EQ(until->expires_at_ms, *parse_timestamp_ms("2026-06-01T00:00:00Z"));
  for (const char* action : {"unmute_user_in_group", "kick_user_from_group", "ban_user_from_group", "unban_user_from_group"}) {
    auto r = read(std::string(R"({"action":")") + action + R"(","target_user_id":"u-sam","target_group_id":"g-1"})");
    ASSERT_TRUE(r.ok()) << action;
    EXPECT_EQ(moderation_action_name(r->action), action);
  }
}

TEST_F(ModerationWire, DurationOrExpiryNotBothPositiveFutureAndBounded) {
  const std::string base = R"({"action":"mute_user_in_group","target_user_id":"u-sam","target_group_id":"g-1",)";
  EXPECT_EQ(refusal(base + R"("duration_seconds":60,"expires_at":"2026-06-01T00:00:00Z"})"),
            std::make_pair(4001, std::string("payload.expires_at: give duration_seconds or expires_at, not both")));
  for (const char* bad : {"0", "1.5", "31622401", "1e12"})
    EXPECT_EQ(refusal(base + R"("duration_seconds":)" + bad + "}").second,
              "payload.duration_seconds: a whole number of seconds from 1 to 31622400")
        << bad;
  EXPECT_EQ(refusal(base + R"("duration_seconds":-5})").first, 4001) << "the type table refuses negatives";
  EXPECT_EQ(refusal(base + R"("expires_at":"2020-01-01T00:00:00Z"})"),
            std::make_pair(4001, std::string("payload.expires_at: must be in the future")));
  EXPECT_EQ(refusal(base + R"("expires_at":"2099-01-01T00:00:00Z"})"),
            std::make_pair(4001, std::string("payload.expires_at: at most 31622400 seconds ahead")));
  EXPECT_EQ(refusal(base + R"("expires_at":"tomorrow"})").first, 4001);
  auto longest = read(base + R"("duration_seconds":31622400})");
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->expires_at_ms, kNow + 31'622'400'000);

  // Only mute, ban and suspend expire.
  EXPECT_EQ(refusal(R"({"action":"unmute_user_in_group","target_user_id":"u","target_group_id":"g","duration_seconds":5})"),
            std::make_pair(4001, std::string("payload.duration_seconds: only mute_user_in_group, ban_user_from_group and "
                                             "suspend_user_account expire, not unmute_user_in_group")));
  EXPECT_EQ(refusal(R"({"action":"warn_user","target_user_id":"u","expires_at":"2026-06-01T00:00:00Z"})").second,
            "payload.expires_at: only mute_user_in_group, ban_user_from_group and suspend_user_account expire, not warn_user");
}

TEST_F(ModerationWire, TargetsEachActionNeedsOrRefuses) {
  EXPECT_EQ(refusal(R"({"action":"mute_user_in_group","target_user_id":"u"})").first, 4001) << "group required";
  EXPECT_EQ(refusal(R"({"action":"warn_user"})").first, 4001) << "user required";
  EXPECT_EQ(refusal(R"({"action":"delete_message"})").first, 4001) << "message required";
  EXPECT_EQ(refusal(R"({"action":"suspend_user_account","target_user_id":"u","target_group_id":"g"})"),
            std::make_pair(4001, std::string("payload.target_group_id: suspend_user_account is server-wide; omit it")));
  EXPECT_EQ(refusal(R"({"action":"warn_user","target_user_id":"u","target_message_id":"m"})"),
            std::make_pair(4001, std::string("payload.target_message_id: only for delete_message")));
  EXPECT_EQ(refusal(R"({"action":"ban_user_from_group","target_user_id":"u-mod","target_group_id":"g"})"),
            std::make_pair(4001, std::string("payload.target_user_id: cannot be yourself")));
  EXPECT_EQ(refusal(R"({"action":"warn_user","target_user_id":"u","reason":")" + std::string(1025, 'x') + "\"}"),
            std::make_pair(4001, std::string("payload.reason: at most 1024 bytes")));
  EXPECT_EQ(refusal(R"({"action":"shadow_ban","target_user_id":"u"})").first, 4001) << "not an action";
}

TEST_F(ModerationWire, NoticesAndReceiptsAreValidMessages) {
  auto notice = moderation_notice_payload(
      {ModerationAction::kMute, "u-sam", "g-1", "spam", kNow + 60'000, "u-mod"});
  expect_valid("MODERATION", notice);
  EXPECT_NE(notice.find(R"("expires_at":")" + iso_ms(kNow + 60'000) + "\""), std::string::npos) << notice;
  EXPECT_NE(notice.find(R"("by_user_id":"u-mod")"), std::string::npos);
  auto lifted = moderation_notice_payload({ModerationAction::kUnmute, "u-sam", "g-1", "expired", 0, {}});
  expect_valid("MODERATION", lifted);
  EXPECT_EQ(lifted.find("by_user_id"), std::string::npos) << "the server's own doing";
  expect_valid("GROUP", removed_member_payload("g-1", "u-sam", "banned", "u-mod", "spam"));

  ModerationRequest r;
  r.action = ModerationAction::kDeleteMessage;
  r.target_group_id = "g-1";
  r.target_message_id = "m-9";
  r.target_user_id = "u-sam";
  EXPECT_EQ(moderation_receipt_json(r),
            R"({"action":"delete_message","target_user_id":"u-sam","target_group_id":"g-1","deleted_message_id":"m-9"})");
  r.action = ModerationAction::kBan;
  r.target_message_id.clear();
  r.expires_at_ms = kNow;
  EXPECT_EQ(moderation_receipt_json(r), R"({"action":"ban_user_from_group","target_user_id":"u-sam","target_group_id":"g-1",)"
                                        R"("expires_at":")" + iso_ms(kNow) + "\"}");
  core::EnvelopeFields f;
  f.message_id = "m-2";
  f.timestamp = "2025-06-01T00:00:00Z";
  f.from_user_id = "qsip-server";
  f.from_device_id = "n-1";
  auto receipt = core::build_receipt(f, "m-1", "ok", moderation_receipt_json(r));
  EXPECT_TRUE(validator.validate(receipt).ok()) << receipt;
}
