#include "core/payload_builders.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/builder_writer.hpp"
#include "core/envelope_builder.hpp"
#include "core/message_validator.hpp"

using namespace qsip::core;
using namespace qsip::core::builders;

namespace {
std::string wrap(std::string_view type, const ObjectBuilder& payload, std::string_view session = {},
                 std::string_view to_user = "u-bob") {
  EnvelopeFields f;
  f.message_id = "m-1";
  f.timestamp = "2025-06-01T00:43:25Z";
  f.type = type;
  f.from_user_id = "u-alice";
  f.from_device_id = "d-1";
  f.to_user_id = to_user;
  f.session_id = session;
  return build_envelope(f, payload.json());
}
}  // namespace

TEST(PayloadBuilders, CommittedHeaderMatchesTheTypeTable) {
  std::ifstream in(std::filesystem::path(QSIP_SOURCE_DIR) / "src/core/payload_builders.hpp", std::ios::binary);
  std::string committed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(committed, payload_builders_header()) << "stale: run scripts/generate";
}

TEST(PayloadBuilders, BuildValidMessages) {
  MessageValidator v;
  auto reg = RegisterPayload()
                 .auth_token("jwt")
                 .device_info(RegisterPayloadDeviceInfo().os("Linux").app("qsip 0.1"))
                 .capabilities({"opus", "sframe"})
                 .supports_datagrams(true);
  auto out = v.validate(wrap(RegisterPayload::kType, reg, {}, {}));
  ASSERT_TRUE(out) << out.failure().detail;
  EXPECT_EQ(out->type, MessageType::kRegister);

  auto invite = InvitePayload()
                    .media_types({"audio"})
                    .codecs(InvitePayloadCodecs().audio({"opus/48000/2"}))
                    .tracks(ArrayBuilder().add(InvitePayloadTracksItem().track_id("a1").kind("audio").codec("opus/48000/2").flow_id(std::int64_t{4})));
  static_assert(InvitePayload::kSessionIdRequired);
  out = v.validate(wrap(InvitePayload::kType, invite, "s-1"));
  ASSERT_TRUE(out) << out.failure().detail;

  auto text = MessagePayload().message_type("text").content("hello \"world\"\n").priority("urgent").ephemeral_ttl(60);
  out = v.validate(wrap(MessagePayload::kType, text));
  ASSERT_TRUE(out) << out.failure().detail;
  EXPECT_EQ(out->payload_string("content"), "hello \"world\"\n");

  auto poll = PollPayload().action("vote").poll_id("p").selected_option_index(std::int64_t{2});
  out = v.validate(wrap(PollPayload::kType, poll));
  ASSERT_TRUE(out) << out.failure().detail;
}

TEST(PayloadBuilders, MissingRequiredFieldsAreCaughtByTheValidator) {
  MessageValidator v;
  auto out = v.validate(wrap(PresencePayload::kType, PresencePayload().status_message("x")));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.failure().detail, "payload.status: required");
}

#include "core/doc_writer.hpp"

TEST(MessageTypesDoc, CommittedFileMatchesTheTypeTable) {
  std::ifstream in(std::filesystem::path(QSIP_SOURCE_DIR) / "docs/message-types.md", std::ios::binary);
  std::string committed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(committed, message_types_markdown()) << "stale: run scripts/generate";
}

TEST(ErrorsDoc, CommittedFileMatchesTheRegistry) {
  std::ifstream in(std::filesystem::path(QSIP_SOURCE_DIR) / "docs/errors.md", std::ios::binary);
  std::string committed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(committed, errors_markdown()) << "stale: run scripts/generate";
}
