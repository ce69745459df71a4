#pragma once
// Turning any WAV input into what a call sends: 48 kHz mono 16-bit PCM.
// Channels are averaged into one; the rate is converted with libsamplerate
// (Debian's libsamplerate0), its band-limited sinc converter, so speech made
// at 22,050 Hz (espeak-ng) or 44,100 Hz keeps its waveform (the end-to-end
// audio check compares waveforms).
#include <cstdint>
#include <optional>
#include <string>

#include "media/audio_decoder.hpp"
#include "media/wav_file.hpp"

namespace qsip::media {

// The mean of the channels of each interleaved frame; a trailing partial
// frame is dropped. `channels` 1 returns the input as it is.
Pcm downmix_to_mono(PcmView interleaved, unsigned channels);

struct ResampleResult {
  std::optional<Pcm> samples;
  std::string error;  // why not, when samples is empty
};

// Mono PCM at `from_rate` as mono PCM at `to_rate` (samples * to / from,
// rounded). Refuses ratios libsamplerate does not support (beyond 256:1).
ResampleResult resample_mono(PcmView mono, std::uint32_t from_rate, std::uint32_t to_rate);

// A WAV file's audio as a call sends it: mono, 48 kHz.
ResampleResult to_call_audio(const WavAudio& audio);

}  // namespace qsip::media
