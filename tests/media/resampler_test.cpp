// Resampling WAV input to the call's 48 kHz mono (src/media/resampler.hpp)
// and the streaming WAV writer (src/media/wav_writer.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <unistd.h>

#include "media/resampler.hpp"
#include "media/wav_file.hpp"
#include "media/wav_writer.hpp"
#include "test_signals.hpp"

namespace qsip::media {
namespace {

Pcm sine(double frequency, std::uint32_t rate, std::size_t samples, double amplitude = 12000) {
  Pcm out(samples);
  for (std::size_t i = 0; i < samples; ++i)
    out[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(2 * std::numbers::pi * frequency * i / rate)));
  return out;
}

TEST(Resampler, SpeechRatesBecome48kHzWithTheWaveformKept) {
  // espeak-ng writes 22,050 Hz; CDs 44,100; telephony 8,000 and 16,000.
  for (std::uint32_t rate : {8000u, 16000u, 22050u, 44100u, 48000u, 96000u}) {
    const std::size_t seconds_samples = rate;  // one second
    const ResampleResult out = resample_mono(sine(440, rate, seconds_samples), rate, 48000);
    ASSERT_TRUE(out.samples) << rate << ": " << out.error;
    EXPECT_NEAR(static_cast<double>(out.samples->size()), 48000.0, 1.0) << rate;
    // The same tone, sampled at 48 kHz: compared away from the edges.
    const Pcm expected = sine(440, 48000, 48000);
    const Pcm middle(out.samples->begin() + 2400, out.samples->end() - 2400);
    const Pcm expected_middle(expected.begin() + 2400, expected.end() - 2400);
    const auto aligned = test::best_alignment(expected_middle, middle, 40);
    EXPECT_GE(aligned.correlation, 0.999) << rate;
    EXPECT_LE(std::abs(aligned.lag), 2) << rate;
  }
}

TEST(Resampler, StereoIsAveragedIntoMono) {
  const Pcm interleaved{100, 300, -200, -400, 32767, 32767, 5, 6, 7};  // a partial last frame
  EXPECT_EQ(downmix_to_mono(interleaved, 2), (Pcm{200, -300, 32767, 5}));
  EXPECT_EQ(downmix_to_mono(interleaved, 1), interleaved);
  WavAudio wav{24000, 2, {}};
  for (std::int16_t s : sine(300, 24000, 2400)) {
    wav.samples.push_back(s);
    wav.samples.push_back(s);
  }
  const ResampleResult out = to_call_audio(wav);
  ASSERT_TRUE(out.samples) << out.error;
  EXPECT_EQ(out.samples->size(), 4800u);
}

TEST(Resampler, RefusesRatiosItCannotDo) {
  EXPECT_FALSE(resample_mono(Pcm(10, 0), 1, 48000).samples);       // 48,000:1
  EXPECT_FALSE(resample_mono(Pcm(10, 0), 0, 48000).samples);
  EXPECT_FALSE(resample_mono(Pcm(10, 0), 48000, 0).samples);
  const ResampleResult empty = resample_mono(Pcm{}, 22050, 48000);
  ASSERT_TRUE(empty.samples);
  EXPECT_TRUE(empty.samples->empty());
}

TEST(WavFileWriter, StreamsWhatItIsGiven) {
  const auto path = std::filesystem::temp_directory_path() / ("wav-writer-" + std::to_string(::getpid()) + ".wav");
  const Pcm first = sine(500, 48000, 960), second = sine(700, 48000, 1920);
  {
    WavFileWriter writer(path, 48000, 1);
    ASSERT_TRUE(writer.ok());
    EXPECT_TRUE(writer.append(first));
    EXPECT_TRUE(writer.append(second));
    EXPECT_EQ(writer.samples_written(), 2880u);
    EXPECT_TRUE(writer.finish());
    EXPECT_FALSE(writer.append(first));  // finished
  }
  const WavReadResult read = read_wav_file(path);
  ASSERT_TRUE(read.audio) << read.error;
  EXPECT_EQ(read.audio->sample_rate, 48000u);
  EXPECT_EQ(read.audio->channels, 1u);
  Pcm both = first;
  both.insert(both.end(), second.begin(), second.end());
  EXPECT_EQ(read.audio->samples, both);
  // A writer dropped without finish() still completes the header.
  { WavFileWriter(path, 16000, 2).append(Pcm{1, 2, 3, 4}); }
  const WavReadResult again = read_wav_file(path);
  ASSERT_TRUE(again.audio) << again.error;
  EXPECT_EQ(again.audio->samples, (Pcm{1, 2, 3, 4}));
  std::filesystem::remove(path);
  EXPECT_FALSE(WavFileWriter("/nonexistent-dir/out.wav", 48000, 1).ok());
}

}  // namespace
}  // namespace qsip::media
