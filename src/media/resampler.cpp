#include "media/resampler.hpp"

#include <samplerate.h>

#include <cmath>
#include <vector>

#include "media/opus_codec.hpp"

namespace qsip::media {

Pcm downmix_to_mono(PcmView interleaved, unsigned channels) {
  if (channels <= 1) return Pcm(interleaved.begin(), interleaved.end());
  Pcm out(interleaved.size() / channels);
  for (std::size_t frame = 0; frame < out.size(); ++frame) {
    long sum = 0;
    for (unsigned c = 0; c < channels; ++c) sum += interleaved[frame * channels + c];
    out[frame] = static_cast<std::int16_t>(sum / static_cast<long>(channels));
  }
  return out;
}

ResampleResult resample_mono(PcmView mono, std::uint32_t from_rate, std::uint32_t to_rate) {
  if (from_rate == 0 || to_rate == 0) return {std::nullopt, "a sample rate of 0 Hz"};
  if (from_rate == to_rate) return {Pcm(mono.begin(), mono.end()), {}};
  const double ratio = static_cast<double>(to_rate) / from_rate;
  if (!src_is_valid_ratio(ratio)) {
    return {std::nullopt, "cannot convert " + std::to_string(from_rate) + " Hz to " + std::to_string(to_rate) + " Hz"};
  }
  if (mono.empty()) return {Pcm{}, {}};
  std::vector<float> in(mono.size());
  src_short_to_float_array(mono.data(), in.data(), static_cast<int>(mono.size()));
  const auto out_frames = static_cast<std::size_t>(std::llround(static_cast<double>(mono.size()) * ratio));
  // Room for the converter's rounding; the result is cut to out_frames.
  std::vector<float> out(out_frames + 16);
  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = static_cast<long>(in.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  data.end_of_input = 1;
  if (const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1); error != 0) {
    return {std::nullopt, std::string("resampling: ") + src_strerror(error)};
  }
  out.resize(std::min(out_frames, static_cast<std::size_t>(data.output_frames_gen)));
  Pcm samples(out.size());
  src_float_to_short_array(out.data(), samples.data(), static_cast<int>(out.size()));
  return {std::move(samples), {}};
}

ResampleResult to_call_audio(const WavAudio& audio) {
  return resample_mono(downmix_to_mono(audio.samples, audio.channels), audio.sample_rate, opus_sample_rate);
}

}  // namespace qsip::media
