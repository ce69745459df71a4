// WAV files: round trips at several rates and channel counts, and the
// files other writers produce (extensible format, extra chunks, streaming
// sizes), and refusal of everything else.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "media/wav_file.hpp"

namespace qsip::media {
namespace {

void put_le32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

WavAudio ramp(std::uint32_t rate, std::uint16_t channels, std::size_t samples) {
  WavAudio audio{rate, channels, {}};
  for (std::size_t i = 0; i < samples; ++i) {
    audio.samples.push_back(static_cast<std::int16_t>(static_cast<int>(i * 37 % 65536) - 32768));
  }
  return audio;
}

TEST(WavFile, RoundTripsRatesAndChannels) {
  for (std::uint32_t rate : {8000u, 16000u, 22050u, 44100u, 48000u}) {
    for (std::uint16_t channels : {1, 2}) {
      const WavAudio audio = ramp(rate, channels, 2000);
      const Bytes bytes = encode_wav(audio);
      EXPECT_EQ(bytes.size(), 44u + 4000u);
      const auto parsed = parse_wav(bytes);
      ASSERT_TRUE(parsed.audio) << parsed.error;
      EXPECT_EQ(parsed.audio->sample_rate, rate);
      EXPECT_EQ(parsed.audio->channels, channels);
      EXPECT_EQ(parsed.audio->samples, audio.samples);
    }
  }
}

TEST(WavFile, WritesAndReadsAFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("qsip-wav-test-" + std::to_string(::getpid()) + ".wav");
  const WavAudio audio = ramp(48000, 1, 48000);
  ASSERT_TRUE(write_wav_file(path, audio));
  const auto read = read_wav_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(read.audio) << read.error;
  EXPECT_EQ(read.audio->samples, audio.samples);
  EXPECT_FALSE(read_wav_file(path).audio);
  EXPECT_FALSE(write_wav_file("/nonexistent-dir/x.wav", audio));
}

TEST(WavFile, ReadsExtensibleFormatExtraChunksAndStreamingSize) {
  Bytes file{'R', 'I', 'F', 'F', 0xff, 0xff, 0xff, 0xff, 'W', 'A', 'V', 'E'};
  // An odd-sized LIST chunk with its pad byte.
  file.insert(file.end(), {'L', 'I', 'S', 'T'});
  put_le32(file, 3);
  file.insert(file.end(), {'a', 'b', 'c', 0});
  // WAVE_FORMAT_EXTENSIBLE, mono, 16 kHz, 16 bits, PCM sub-format.
  file.insert(file.end(), {'f', 'm', 't', ' '});
  put_le32(file, 40);
  const Bytes fmt{0xfe, 0xff, 1, 0, 0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0, 2, 0, 16, 0,
                  22, 0, 16, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x10, 0,
                  0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71};
  file.insert(file.end(), fmt.begin(), fmt.end());
  file.insert(file.end(), {'d', 'a', 't', 'a'});
  put_le32(file, 0xffffffff);  // what a writer to a pipe leaves
  file.insert(file.end(), {0x01, 0x00, 0xff, 0x7f, 0x00, 0x80, 0x05});  // 3 samples and a stray byte
  const auto parsed = parse_wav(file);
  ASSERT_TRUE(parsed.audio) << parsed.error;
  EXPECT_EQ(parsed.audio->sample_rate, 16000u);
  EXPECT_EQ(parsed.audio->channels, 1);
  EXPECT_EQ(parsed.audio->samples, (Pcm{1, 32767, -32768}));
}

TEST(WavFile, RefusesWhatItDoesNotRead) {
  Bytes good = encode_wav(ramp(48000, 1, 10));
  EXPECT_TRUE(parse_wav(good).audio);

  auto with = [&good](std::size_t at, std::uint8_t value) {
    Bytes b = good;
    b[at] = value;
    return parse_wav(b);
  };
  EXPECT_NE(with(0, 'X').error.find("RIFF"), std::string::npos);
  EXPECT_NE(with(20, 3).error.find("not PCM"), std::string::npos);       // IEEE float
  EXPECT_NE(with(34, 8).error.find("16-bit"), std::string::npos);        // 8-bit
  EXPECT_NE(with(22, 6).error.find("channel"), std::string::npos);       // 6 channels
  EXPECT_NE(with(16, 200).error.find("longer than the file"), std::string::npos);
  Bytes zero_rate = good;
  std::fill(zero_rate.begin() + 24, zero_rate.begin() + 28, 0);
  EXPECT_NE(parse_wav(zero_rate).error.find("sample rate"), std::string::npos);
  // Only a header, no data chunk.
  EXPECT_NE(parse_wav(ByteView(good).first(36)).error.find("no data"), std::string::npos);
  // Every truncation either fails cleanly or yields fewer samples.
  for (std::size_t n = 0; n < good.size(); ++n) {
    const auto parsed = parse_wav(ByteView(good).first(n));
    if (parsed.audio) {
      EXPECT_LE(parsed.audio->samples.size(), 10u);
    } else {
      EXPECT_FALSE(parsed.error.empty());
    }
  }
}

}  // namespace
}  // namespace qsip::media
