// RTP packets: what the writer emits, and a reader that skips CSRCs,
// extensions and padding and refuses every length that does not fit.
#include <gtest/gtest.h>

#include "media/opus_rtp.hpp"
#include "media/rtp_packet.hpp"

namespace qsip::media {
namespace {

const Bytes payload{0xde, 0xad, 0xbe, 0xef, 0x01};

TEST(RtpPacket, WritesTheFixedHeader) {
  const RtpHeader header{true, 111, 0x1234, 0x89abcdef, 0x01020304};
  const Bytes packet = write_rtp_packet(header, payload);
  const Bytes expected{0x80, 0xef, 0x12, 0x34, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x02, 0x03, 0x04,
                       0xde, 0xad, 0xbe, 0xef, 0x01};
  EXPECT_EQ(packet, expected);
  const auto read = read_rtp_packet(packet);
  ASSERT_TRUE(read.packet);
  EXPECT_EQ(read.packet->header, header);
  EXPECT_EQ(Bytes(read.packet->payload.begin(), read.packet->payload.end()), payload);
}

TEST(RtpPacket, SkipsCsrcsExtensionAndPadding) {
  // V=2 P=1 X=1 CC=2, M=0 PT=96, then 2 CSRCs, a 2-word extension, the
  // payload and 3 bytes of padding.
  Bytes packet{0xb2, 0x60, 0x00, 0x07, 0x00, 0x00, 0x03, 0xc0, 0xaa, 0xbb, 0xcc, 0xdd};
  const Bytes csrcs(8, 0x11);
  const Bytes extension{0xbe, 0xde, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8};
  packet.insert(packet.end(), csrcs.begin(), csrcs.end());
  packet.insert(packet.end(), extension.begin(), extension.end());
  packet.insert(packet.end(), payload.begin(), payload.end());
  packet.insert(packet.end(), {0x00, 0x00, 0x03});
  const auto read = read_rtp_packet(packet);
  ASSERT_TRUE(read.packet);
  EXPECT_FALSE(read.packet->header.marker);
  EXPECT_EQ(read.packet->header.payload_type, 96);
  EXPECT_EQ(read.packet->header.sequence, 7);
  EXPECT_EQ(read.packet->header.timestamp, 960u);
  EXPECT_EQ(read.packet->header.ssrc, 0xaabbccddu);
  EXPECT_EQ(Bytes(read.packet->payload.begin(), read.packet->payload.end()), payload);
}

TEST(RtpPacket, RefusesEveryTruncation) {
  Bytes packet{0x92, 0x60, 0x00, 0x07, 0x00, 0x00, 0x03, 0xc0, 0xaa, 0xbb, 0xcc, 0xdd};
  packet.insert(packet.end(), 8, 0x11);                        // 2 CSRCs
  packet.insert(packet.end(), {0xbe, 0xde, 0x00, 0x01, 1, 2, 3, 4});  // 1-word extension
  for (std::size_t n = 0; n < packet.size(); ++n) {
    const auto read = read_rtp_packet(ByteView(packet).first(n));
    EXPECT_FALSE(read.packet) << n;
    EXPECT_EQ(read.error, RtpReadError::too_short) << n;
  }
  const auto whole = read_rtp_packet(packet);
  ASSERT_TRUE(whole.packet);
  EXPECT_TRUE(whole.packet->payload.empty());
}

TEST(RtpPacket, RefusesAnExtensionLengthPastTheEnd) {
  Bytes packet = write_rtp_packet(RtpHeader{}, {});
  packet[0] |= 0x10;
  packet.insert(packet.end(), {0xbe, 0xde, 0xff, 0xff, 1, 2, 3, 4});
  EXPECT_EQ(read_rtp_packet(packet).error, RtpReadError::too_short);
  EXPECT_FALSE(read_rtp_packet(packet).packet);
}

TEST(RtpPacket, RefusesBadPaddingAndVersion) {
  Bytes packet = write_rtp_packet(RtpHeader{}, payload);
  packet[0] |= 0x20;
  packet.back() = 0;  // padding count of zero
  EXPECT_EQ(read_rtp_packet(packet).error, RtpReadError::bad_padding);
  packet.back() = static_cast<std::uint8_t>(payload.size() + 1);  // more than the payload
  EXPECT_EQ(read_rtp_packet(packet).error, RtpReadError::bad_padding);
  packet.back() = static_cast<std::uint8_t>(payload.size());  // the whole payload is padding
  ASSERT_TRUE(read_rtp_packet(packet).packet);
  EXPECT_TRUE(read_rtp_packet(packet).packet->payload.empty());

  Bytes v1 = write_rtp_packet(RtpHeader{}, payload);
  v1[0] = 0x40;
  EXPECT_EQ(read_rtp_packet(v1).error, RtpReadError::bad_version);
}

TEST(RtpPacket, ReadsAnyByteStringWithoutOverrun) {
  // Every first byte (all flag and count combinations) over a short buffer.
  for (int first = 0; first < 256; ++first) {
    for (std::size_t size = 0; size < 40; ++size) {
      Bytes packet(size, 0xff);
      if (!packet.empty()) packet[0] = static_cast<std::uint8_t>(first);
      const auto read = read_rtp_packet(packet);
      if (read.packet) {
        EXPECT_LE(read.packet->payload.data() + read.packet->payload.size(), packet.data() + packet.size());
        EXPECT_GE(read.packet->payload.data(), packet.data() + rtp_fixed_header_size);
      }
    }
  }
}

TEST(OpusRtpPacketizer, NumbersPacketsAndWraps) {
  OpusRtpPacketizer packetizer(0xcafe, 0xfffe, 0xfffffc40);
  std::vector<RtpHeader> headers;
  for (int i = 0; i < 4; ++i) {
    const Bytes packet = packetizer.packetize(payload);
    const auto read = read_rtp_packet(packet);
    ASSERT_TRUE(read.packet);
    headers.push_back(read.packet->header);
    EXPECT_EQ(read.packet->header.payload_type, opus_payload_type);
    EXPECT_EQ(read.packet->header.ssrc, 0xcafeu);
  }
  EXPECT_TRUE(headers[0].marker);
  EXPECT_FALSE(headers[1].marker);
  EXPECT_EQ(headers[1].sequence, 0xffff);
  EXPECT_EQ(headers[2].sequence, 0);
  EXPECT_EQ(headers[3].sequence, 1);
  EXPECT_EQ(headers[1].timestamp, 0u);  // 0xfffffc40 + 960 wraps to 0
  EXPECT_EQ(headers[3].timestamp, 1920u);

  packetizer.start_talkspurt(10);
  const auto after_silence = read_rtp_packet(packetizer.packetize(payload));
  ASSERT_TRUE(after_silence.packet);
  EXPECT_TRUE(after_silence.packet->header.marker);
  EXPECT_EQ(after_silence.packet->header.sequence, 2);
  EXPECT_EQ(after_silence.packet->header.timestamp, 2880u + 10 * opus_frame_samples);
}

}  // namespace
}  // namespace qsip::media
