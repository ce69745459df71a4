// The libopus wrapper: frames in and out, bitrate, FEC and PLC.
#include <gtest/gtest.h>

#include "media/opus_codec.hpp"
#include "test_signals.hpp"

namespace qsip::media {
namespace {

constexpr std::size_t frame = samples_per_channel_per_frame;

std::vector<Bytes> encode_all(OpusFrameEncoder& encoder, const Pcm& pcm) {
  std::vector<Bytes> packets;
  for (std::size_t at = 0; at + frame * encoder.channels() <= pcm.size(); at += frame * encoder.channels()) {
    packets.push_back(encoder.encode(PcmView(pcm).subspan(at, frame * encoder.channels())));
  }
  return packets;
}

TEST(OpusCodec, EncodesAndDecodesTwentyMillisecondFrames) {
  const Pcm input = test::synthetic_voice(48000);
  OpusFrameEncoder encoder;
  OpusFrameDecoder decoder;
  const auto packets = encode_all(encoder, input);
  ASSERT_EQ(packets.size(), 50u);
  Pcm output;
  for (const auto& p : packets) {
    EXPECT_GT(p.size(), 0u);
    EXPECT_LE(p.size(), 1275u);
    const Pcm decoded = decoder.decode(p);
    ASSERT_EQ(decoded.size(), frame);
    output.insert(output.end(), decoded.begin(), decoded.end());
  }
  const auto aligned = test::best_alignment(input, output, 1000);
  EXPECT_GE(aligned.correlation, 0.95) << "lag " << aligned.lag;
}

TEST(OpusCodec, AudioApplicationKeepsTheWaveformCloser) {
  const Pcm input = test::synthetic_voice(48000);
  auto correlation = [&input](OpusApplication application) {
    OpusFrameEncoder encoder(OpusEncoderSettings{1, 48000, 10, 9, application});
    OpusFrameDecoder decoder;
    Pcm output;
    for (const auto& p : encode_all(encoder, input)) {
      const Pcm decoded = decoder.decode(p);
      output.insert(output.end(), decoded.begin(), decoded.end());
    }
    return test::best_alignment(input, output, 1000).correlation;
  };
  const double voip = correlation(OpusApplication::voip);
  const double audio = correlation(OpusApplication::audio);
  EXPECT_GE(voip, 0.95);
  EXPECT_GT(audio, voip);
}

TEST(OpusCodec, BitrateSetsPacketSize) {
  const Pcm input = test::synthetic_voice(48000);
  auto total = [&input](int bitrate) {
    OpusFrameEncoder encoder(OpusEncoderSettings{1, bitrate, 0, 9, OpusApplication::voip});
    std::size_t bytes = 0;
    for (const auto& p : encode_all(encoder, input)) bytes += p.size();
    return bytes;
  };
  const std::size_t low = total(12000);
  const std::size_t high = total(64000);
  EXPECT_LT(low, high);
  // About bitrate / 8 bytes a second, within a wide margin (VBR).
  EXPECT_NEAR(static_cast<double>(high), 64000 / 8.0, 64000 / 8.0 * 0.35);
}

TEST(OpusCodec, StereoFrames) {
  const Pcm mono = test::synthetic_voice(9600);
  Pcm stereo;
  for (auto s : mono) {
    stereo.push_back(s);
    stereo.push_back(static_cast<std::int16_t>(s / 2));
  }
  OpusFrameEncoder encoder(OpusEncoderSettings{2, 64000, 10, 9, OpusApplication::audio});
  OpusFrameDecoder decoder(2);
  EXPECT_EQ(decoder.frame_samples(), 2 * frame);
  for (const auto& p : encode_all(encoder, stereo)) EXPECT_EQ(decoder.decode(p).size(), 2 * frame);
}

TEST(OpusCodec, ConcealsLostFramesByFecAndPlc) {
  const Pcm input = test::synthetic_voice(48000);
  OpusFrameEncoder encoder;
  const auto packets = encode_all(encoder, input);

  // Lose every tenth packet; recover it from the next one's FEC in one run,
  // by PLC in the other. Both keep one frame per packet.
  auto run = [&packets](bool use_fec) {
    OpusFrameDecoder decoder;
    Pcm output;
    for (std::size_t i = 0; i < packets.size(); ++i) {
      Pcm decoded;
      if (i % 10 == 5) {
        decoded = use_fec && i + 1 < packets.size() ? decoder.decode_fec(packets[i + 1]) : decoder.conceal();
      } else {
        decoded = decoder.decode(packets[i]);
      }
      EXPECT_EQ(decoded.size(), frame);
      output.insert(output.end(), decoded.begin(), decoded.end());
    }
    return output;
  };
  const auto with_fec = test::best_alignment(input, run(true), 1000);
  const auto with_plc = test::best_alignment(input, run(false), 1000);
  EXPECT_GE(with_fec.correlation, 0.9);
  EXPECT_GE(with_plc.correlation, 0.8);
}

TEST(OpusCodec, CorruptPacketIsConcealed) {
  OpusFrameDecoder decoder;
  // A TOC byte announcing code 3 (arbitrary frame count) with no count byte.
  const Bytes corrupt{0x03};
  EXPECT_EQ(decoder.decode(corrupt).size(), frame);
  EXPECT_EQ(decoder.decode({}).size(), frame);
  EXPECT_EQ(decoder.decode(Bytes(2000, 0)).size(), frame);
}

TEST(OpusCodec, RefusesWrongFrameSizeAndChannels) {
  OpusFrameEncoder encoder;
  EXPECT_THROW(encoder.encode(Pcm(480)), OpusError);
  EXPECT_THROW(OpusFrameEncoder(OpusEncoderSettings{3, 32000, 0, 9, OpusApplication::voip}), OpusError);
  EXPECT_THROW(OpusFrameDecoder(0), OpusError);
  EXPECT_THROW(encoder.set_bitrate(-5), OpusError);
}

}  // namespace
}  // namespace qsip::media
