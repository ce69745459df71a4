#pragma once
// WAV files of 16-bit PCM: what `qsip call --audio-in` reads and what both
// sides write of what they hear. Any sample rate (1 Hz..768 kHz) and 1 or 2
// channels are read and written as they are; resampling is the caller's
// business (the call path wants 48 kHz, Opus's RTP clock). Reading accepts
// WAVE_FORMAT_PCM and WAVE_FORMAT_EXTENSIBLE with the PCM sub-format, skips
// chunks it does not know (LIST, fact, ...), honours the pad byte of odd
// chunks, and takes a data size beyond the end of the file (written by a
// streaming writer that could not seek back) as "up to the end".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "media/audio_decoder.hpp"
#include "media/bytes.hpp"

namespace qsip::media {

struct WavAudio {
  std::uint32_t sample_rate = 48000;
  std::uint16_t channels = 1;
  Pcm samples;  // interleaved
};

inline constexpr std::uint32_t max_wav_sample_rate = 768000;

struct WavReadResult {
  std::optional<WavAudio> audio;
  std::string error;  // why not, when audio is empty
};

WavReadResult parse_wav(ByteView file);
WavReadResult read_wav_file(const std::filesystem::path& path);

// RIFF/WAVE with a 16-byte fmt chunk and one data chunk.
Bytes encode_wav(const WavAudio& audio);
// False when the file cannot be written.
bool write_wav_file(const std::filesystem::path& path, const WavAudio& audio);

}  // namespace qsip::media
