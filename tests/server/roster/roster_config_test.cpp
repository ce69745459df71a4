// The roster's one configuration key, [roster] require_contact_for_direct_messages.
#include <gtest/gtest.h>

#include "server/config.hpp"

using namespace qsip::server;

TEST(RosterConfig, RequireContactForDirectMessagesIsOffByDefaultAndReadFromToml) {
  Config config;
  EXPECT_FALSE(config.roster.require_contact_for_direct_messages);
  EXPECT_FALSE(apply_toml("[roster]\nrequire_contact_for_direct_messages = true\n", "t.toml", config));
  EXPECT_TRUE(config.roster.require_contact_for_direct_messages);
  auto bad = apply_toml("[roster]\nrequire_contact_for_direct_messages = \"yes\"\n", "t.toml", config);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->message.find("roster.require_contact_for_direct_messages: expected true or false"), std::string::npos)
      << bad->message;
  EXPECT_TRUE(config.roster.require_contact_for_direct_messages);  // a failing file changes nothing
  EXPECT_TRUE(apply_toml("[roster]\nother = 1\n", "t.toml", config));
}
