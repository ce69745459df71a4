#include "core/varint.hpp"

#include <gtest/gtest.h>

#include <array>

using namespace qsip::core;

TEST(Varint, RoundTripsAtEveryBoundary) {
  for (std::uint64_t v : std::initializer_list<std::uint64_t>{0, 63, 64, 16383, 16384, 1073741823, 1073741824, kMaxVarint}) {
    std::array<std::uint8_t, 8> buf{};
    std::size_t n = varint_encode(v, buf.data());
    EXPECT_EQ(n, varint_size(v));
    auto decoded = varint_decode(std::span<const std::uint8_t>(buf.data(), n));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->value, v);
    EXPECT_EQ(decoded->size, n);
  }
}

TEST(Varint, MatchesRfc9000Examples) {
  // RFC 9000 appendix A.1
  const std::uint8_t eight[] = {0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c};
  EXPECT_EQ(varint_decode(eight)->value, 151288809941952652ull);
  const std::uint8_t four[] = {0x9d, 0x7f, 0x3e, 0x7d};
  EXPECT_EQ(varint_decode(four)->value, 494878333ull);
  const std::uint8_t two[] = {0x7b, 0xbd};
  EXPECT_EQ(varint_decode(two)->value, 15293u);
  const std::uint8_t one[] = {0x25};
  EXPECT_EQ(varint_decode(one)->value, 37u);
}

TEST(Varint, ShortInputIsIncomplete) {
  const std::uint8_t partial[] = {0x9d, 0x7f};
  EXPECT_FALSE(varint_decode(partial));
  EXPECT_FALSE(varint_decode({}));
}
