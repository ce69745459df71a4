// The test hook [media] test_drop_percent drops that share of forwarded
// datagrams, deterministically.
#include <gtest/gtest.h>

#include "server/media/test_drop.hpp"

using namespace qsip::server::media;

TEST(TestDrop, DropsTheConfiguredShare) {
  TestDrop five(5.0);
  int dropped = 0;
  for (int i = 0; i < 100'000; ++i) dropped += five.drop() ? 1 : 0;
  EXPECT_GT(dropped, 4'700);
  EXPECT_LT(dropped, 5'300);
}

TEST(TestDrop, OffByDefaultAndDeterministic) {
  TestDrop off(0);
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(off.drop());
  TestDrop a(20), b(20);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.drop(), b.drop());
  TestDrop all(100);
  EXPECT_TRUE(all.drop());
}
