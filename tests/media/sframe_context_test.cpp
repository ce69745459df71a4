// The SFrame sender and receiver contexts: round trips under every suite,
// counters, rekeying, and every way a frame is refused.
#include <gtest/gtest.h>

#include <string>

#include "media/replay_window.hpp"
#include "media/sframe_context.hpp"
#include "media/sframe_header.hpp"

namespace qsip::media {
namespace {

const Bytes base_key_a{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                       0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
const Bytes base_key_b{0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
                       0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f};
const Bytes payload{'o', 'p', 'u', 's', ' ', 'f', 'r', 'a', 'm', 'e'};

class SframeEverySuite : public ::testing::TestWithParam<CipherSuite> {};

TEST_P(SframeEverySuite, RoundTripsAndCountsUp) {
  SframeSender sender(GetParam(), 7, base_key_a);
  SframeReceiver receiver(GetParam());
  ASSERT_TRUE(receiver.add_key(7, base_key_a));
  for (std::uint64_t i = 0; i < 20; ++i) {
    const auto frame = sender.protect(payload);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->size(), encode_sframe_header({7, i}).size() + payload.size() +
                                 cipher_suite_params(GetParam()).tag_size);
    const auto result = receiver.unprotect(*frame);
    ASSERT_EQ(result.status, UnprotectStatus::ok) << to_string(result.status);
    EXPECT_EQ(result.plaintext, payload);
    EXPECT_EQ(result.header.counter, i);
  }
  EXPECT_EQ(sender.next_counter(), 20u);
}

TEST_P(SframeEverySuite, EmptyPayloadRoundTrips) {
  SframeSender sender(GetParam(), 1, base_key_a);
  SframeReceiver receiver(GetParam());
  ASSERT_TRUE(receiver.add_key(1, base_key_a));
  const auto result = receiver.unprotect(*sender.protect({}));
  EXPECT_EQ(result.status, UnprotectStatus::ok);
  EXPECT_TRUE(result.plaintext.empty());
}

TEST_P(SframeEverySuite, EveryFlippedBitIsRefused) {
  SframeSender sender(GetParam(), 300, base_key_a);
  SframeReceiver receiver(GetParam());
  ASSERT_TRUE(receiver.add_key(300, base_key_a));
  const Bytes metadata{1, 2, 3};
  const Bytes frame = *sender.protect(payload, metadata);
  for (std::size_t byte = 0; byte < frame.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes tampered = frame;
      tampered[byte] ^= static_cast<std::uint8_t>(1u << bit);
      const auto result = receiver.unprotect(tampered, metadata);
      EXPECT_NE(result.status, UnprotectStatus::ok) << "byte " << byte << " bit " << bit;
    }
  }
  // The untouched frame still opens: refusals did not move the replay window.
  EXPECT_EQ(receiver.unprotect(frame, metadata).status, UnprotectStatus::ok);
}

TEST_P(SframeEverySuite, MetadataIsAuthenticated) {
  SframeSender sender(GetParam(), 2, base_key_a);
  SframeReceiver receiver(GetParam());
  ASSERT_TRUE(receiver.add_key(2, base_key_a));
  const Bytes frame = *sender.protect(payload, Bytes{9, 9});
  EXPECT_EQ(receiver.unprotect(frame, Bytes{9, 8}).status, UnprotectStatus::authentication);
  EXPECT_EQ(receiver.unprotect(frame).status, UnprotectStatus::authentication);
  EXPECT_EQ(receiver.unprotect(frame, Bytes{9, 9}).status, UnprotectStatus::ok);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, SframeEverySuite,
                         ::testing::Values(CipherSuite::aes_128_ctr_hmac_sha256_80,
                                           CipherSuite::aes_128_ctr_hmac_sha256_64,
                                           CipherSuite::aes_128_ctr_hmac_sha256_32,
                                           CipherSuite::aes_128_gcm_sha256_128,
                                           CipherSuite::aes_256_gcm_sha512_128),
                         [](const ::testing::TestParamInfo<CipherSuite>& suite_info) {
                           return "Suite" + std::to_string(static_cast<int>(suite_info.param));
                         });

TEST(SframeReceiver, RefusesAReplayedFrame) {
  SframeSender sender(default_cipher_suite, 4, base_key_a);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(4, base_key_a));
  const Bytes frame = *sender.protect(payload);
  EXPECT_EQ(receiver.unprotect(frame).status, UnprotectStatus::ok);
  EXPECT_EQ(receiver.unprotect(frame).status, UnprotectStatus::replayed);
}

TEST(SframeReceiver, AcceptsReorderedFramesOnceEach) {
  SframeSender sender(default_cipher_suite, 4, base_key_a);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(4, base_key_a));
  std::vector<Bytes> frames;
  for (int i = 0; i < 10; ++i) frames.push_back(*sender.protect(payload));
  for (int i : {3, 0, 1, 9, 2, 5, 4, 8, 7, 6}) {
    EXPECT_EQ(receiver.unprotect(frames[static_cast<std::size_t>(i)]).status, UnprotectStatus::ok) << i;
  }
  for (const auto& f : frames) EXPECT_EQ(receiver.unprotect(f).status, UnprotectStatus::replayed);
}

TEST(SframeReceiver, RefusesAFrameBelowTheWindow) {
  SframeSender sender(default_cipher_suite, 4, base_key_a);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(4, base_key_a));
  const Bytes first = *sender.protect(payload);
  Bytes last;
  for (std::size_t i = 0; i < replay_window_size; ++i) last = *sender.protect(payload);
  EXPECT_EQ(receiver.unprotect(last).status, UnprotectStatus::ok);
  EXPECT_EQ(receiver.unprotect(first).status, UnprotectStatus::too_old);
}

TEST(SframeReceiver, RefusesAWrongKey) {
  SframeSender sender(default_cipher_suite, 4, base_key_b);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(4, base_key_a));
  EXPECT_EQ(receiver.unprotect(*sender.protect(payload)).status, UnprotectStatus::authentication);
}

TEST(SframeReceiver, RefusesAnUnknownKid) {
  SframeSender sender(default_cipher_suite, 5, base_key_a);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(4, base_key_a));
  const auto result = receiver.unprotect(*sender.protect(payload));
  EXPECT_EQ(result.status, UnprotectStatus::unknown_kid);
  EXPECT_EQ(result.header.kid, 5u);
}

TEST(SframeReceiver, RefusesTruncatedFrames) {
  SframeSender sender(CipherSuite::aes_128_ctr_hmac_sha256_80, 1000, base_key_a);
  SframeReceiver receiver(CipherSuite::aes_128_ctr_hmac_sha256_80);
  ASSERT_TRUE(receiver.add_key(1000, base_key_a));
  const Bytes frame = *sender.protect(payload);
  const std::size_t header_size = encode_sframe_header({1000, 0}).size();
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const auto status = receiver.unprotect(ByteView(frame).first(n)).status;
    if (n < header_size + 10) {
      EXPECT_EQ(status, UnprotectStatus::malformed) << n;
    } else {
      EXPECT_EQ(status, UnprotectStatus::authentication) << n;
    }
  }
  EXPECT_EQ(receiver.unprotect(frame).status, UnprotectStatus::ok);
}

TEST(SframeReceiver, HoldsSeveralKeysAndDropsRemovedOnes) {
  SframeSender alice(default_cipher_suite, 1, base_key_a);
  SframeSender bob(default_cipher_suite, 2, base_key_b);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(1, base_key_a));
  ASSERT_TRUE(receiver.add_key(2, base_key_b));
  // Both senders use counter 0: windows are per KID.
  EXPECT_EQ(receiver.unprotect(*alice.protect(payload)).status, UnprotectStatus::ok);
  EXPECT_EQ(receiver.unprotect(*bob.protect(payload)).status, UnprotectStatus::ok);
  receiver.remove_key(1);
  EXPECT_EQ(receiver.unprotect(*alice.protect(payload)).status, UnprotectStatus::unknown_kid);
  EXPECT_EQ(receiver.unprotect(*bob.protect(payload)).status, UnprotectStatus::ok);
}

TEST(SframeReceiver, BoundsItsKeys) {
  SframeReceiver receiver(default_cipher_suite);
  for (std::uint64_t kid = 0; kid < SframeReceiver::max_keys; ++kid) {
    ASSERT_TRUE(receiver.add_key(kid, base_key_a));
  }
  EXPECT_FALSE(receiver.add_key(SframeReceiver::max_keys, base_key_a));
  EXPECT_TRUE(receiver.add_key(0, base_key_b));  // replacing a held KID is fine
  EXPECT_EQ(receiver.key_count(), SframeReceiver::max_keys);
}

TEST(SframeSender, RekeyStartsANewKidAtCounterZero) {
  SframeSender sender(default_cipher_suite, 1, base_key_a);
  SframeReceiver receiver(default_cipher_suite);
  ASSERT_TRUE(receiver.add_key(1, base_key_a));
  ASSERT_TRUE(receiver.add_key(2, base_key_b));
  EXPECT_EQ(receiver.unprotect(*sender.protect(payload)).status, UnprotectStatus::ok);
  sender.rekey(2, base_key_b);
  EXPECT_EQ(sender.next_counter(), 0u);
  const auto result = receiver.unprotect(*sender.protect(payload));
  EXPECT_EQ(result.status, UnprotectStatus::ok);
  EXPECT_EQ(result.header, (SframeHeader{2, 0}));
}

TEST(SframeHeader, LargestValuesUseEightBytes) {
  const SframeHeader header{~std::uint64_t{0}, ~std::uint64_t{0}};
  const Bytes encoded = encode_sframe_header(header);
  ASSERT_EQ(encoded.size(), max_sframe_header_size);
  EXPECT_EQ(encoded[0], 0xff);
  EXPECT_EQ(decode_sframe_header(encoded)->header, header);
}

TEST(SframeHeader, AcceptsNonMinimalLengths) {
  // KID 1 written on two bytes, CTR 2 on one: valid, if wasteful.
  const Bytes encoded{0x98, 0x00, 0x01, 0x02};
  const auto decoded = decode_sframe_header(encoded);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->header, (SframeHeader{1, 2}));
  EXPECT_EQ(decoded->size, 4u);
}

TEST(ReplayWindow, TracksTheWindowEdges) {
  ReplayWindow window;
  EXPECT_EQ(window.check(1000), ReplayCheck::fresh);
  window.record(1000);
  EXPECT_EQ(window.check(1000), ReplayCheck::replayed);
  EXPECT_EQ(window.check(1000 - replay_window_size + 1), ReplayCheck::fresh);
  EXPECT_EQ(window.check(1000 - replay_window_size), ReplayCheck::too_old);
  window.record(999);
  EXPECT_EQ(window.check(999), ReplayCheck::replayed);
  window.record(1000 + replay_window_size + 5);  // a jump clears the whole window
  EXPECT_EQ(window.check(1000), ReplayCheck::too_old);
  EXPECT_EQ(window.check(1000 + replay_window_size), ReplayCheck::fresh);
  EXPECT_EQ(window.check(1000 + replay_window_size + 5), ReplayCheck::replayed);
}

}  // namespace
}  // namespace qsip::media
