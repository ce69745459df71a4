#include "core/error_registry.hpp"

#include <gtest/gtest.h>

using namespace qsip::core;

TEST(ErrorRegistry, HasTheDraftCodesWithTheirPhrases) {
  EXPECT_EQ(reason_phrase(ErrorCode::kMalformedPayload), "MalformedPayload");
  EXPECT_EQ(reason_phrase(ErrorCode::kInvalidMessageType), "InvalidMessageType");
  EXPECT_EQ(reason_phrase(ErrorCode::kUnsupportedQsipVersion), "UnsupportedQsipVersion");
  EXPECT_EQ(reason_phrase(ErrorCode::kMessageTooLarge), "MessageTooLarge");
  EXPECT_EQ(reason_phrase(ErrorCode::kRegistrationRequired), "RegistrationRequired");
  EXPECT_EQ(reason_phrase(ErrorCode::kQueueFull), "QueueFull");
  EXPECT_EQ(reason_phrase(ErrorCode::kKeyExchangeFailed), "KeyExchangeFailed");
  EXPECT_EQ(error_registry().size(), 30u);
}

TEST(ErrorRegistry, LooksUpByNumber) {
  ASSERT_NE(find_error(4291), nullptr);
  EXPECT_EQ(find_error(4291)->reason, "TooManyRequests");
  EXPECT_EQ(find_error(4000), nullptr);
  EXPECT_EQ(find_error(9999), nullptr);
}
