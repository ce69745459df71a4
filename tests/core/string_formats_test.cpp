#include "core/string_formats.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/message_type.hpp"

using namespace qsip::core;

TEST(StringFormats, Timestamps) {
  EXPECT_TRUE(is_valid_timestamp("2025-06-01T00:43:25Z"));
  EXPECT_TRUE(is_valid_timestamp("2025-06-01T00:43:25.123456Z"));
  EXPECT_TRUE(is_valid_timestamp("2016-12-31T23:59:60Z"));  // leap second
  EXPECT_FALSE(is_valid_timestamp("2025-06-01T00:43:25"));
  EXPECT_FALSE(is_valid_timestamp("2025-06-01T00:43:25+00:00"));
  EXPECT_FALSE(is_valid_timestamp("2025-06-01 00:43:25Z"));
  EXPECT_FALSE(is_valid_timestamp("2025-13-01T00:43:25Z"));
  EXPECT_FALSE(is_valid_timestamp("2025-06-00T00:43:25Z"));
  EXPECT_FALSE(is_valid_timestamp("2025-06-01T24:00:00Z"));
  EXPECT_FALSE(is_valid_timestamp("2025-06-01T00:43:25.Z"));
  EXPECT_FALSE(is_valid_timestamp("ISO8601-UTC"));
  EXPECT_FALSE(is_valid_timestamp("yesterday"));
}

TEST(StringFormats, IdsAreOneTo256Bytes) {
  EXPECT_FALSE(is_valid_id(""));
  EXPECT_TRUE(is_valid_id("x"));
  EXPECT_TRUE(is_valid_id(std::string(256, 'a')));
  EXPECT_FALSE(is_valid_id(std::string(257, 'a')));
  EXPECT_TRUE(is_valid_id("1a2b3c4d-5e6f-7g8h-9i0j-klmnopqrstuv"));  // the draft's not-quite-UUIDs
}

TEST(StringFormats, CustomTypeNames) {
  EXPECT_TRUE(is_custom_type_name("com.example.custom_type"));
  EXPECT_TRUE(is_custom_type_name("org.qsip-ext.v2.Thing"));
  EXPECT_FALSE(is_custom_type_name("MESSAGE"));
  EXPECT_FALSE(is_custom_type_name("message"));
  EXPECT_FALSE(is_custom_type_name("com.example"));
  EXPECT_FALSE(is_custom_type_name("com..example.x"));
  EXPECT_FALSE(is_custom_type_name(".com.example.x"));
  EXPECT_FALSE(is_custom_type_name("Com.example.x"));
  EXPECT_FALSE(is_custom_type_name("com.example.x."));
  EXPECT_FALSE(is_custom_type_name("com.example.1x"));
}

TEST(TypeTable, HasTheFortySevenRegisteredTypesInOrder) {
  auto types = registered_types();
  ASSERT_EQ(types.size(), kRegisteredTypeCount);
  EXPECT_EQ(types.front().name, "REGISTER");
  EXPECT_EQ(types.back().name, "CLIP");
  for (std::size_t i = 0; i < types.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(types[i].type), i) << types[i].name;
    EXPECT_EQ(types[i].section, "5." + std::to_string(i + 1)) << types[i].name;
    EXPECT_EQ(find_type(types[i].name), &types[i]);
  }
  EXPECT_EQ(find_type("message"), nullptr);
}

TEST(TypeTable, SessionTypesRequireSessionId) {
  for (const char* name : {"INVITE", "ACCEPT", "REJECT", "END", "SESSION", "CHANNEL_UPDATE", "KEY_EXCHANGE", "MEDIA_UPDATE"})
    EXPECT_TRUE(find_type(name)->session_id_required) << name;
  int required = 0;
  for (const auto& spec : registered_types()) required += spec.session_id_required;
  EXPECT_EQ(required, 8);
}
