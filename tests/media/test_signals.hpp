#pragma once
// Test audio: a deterministic synthetic signal and the aligned normalized
// cross-correlation the media tests judge received audio by.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

#include "media/audio_decoder.hpp"

namespace qsip::media::test {

// A sum of three sines (300, 700 and 1,500 Hz) under a slow 2 Hz amplitude
// swell: tonal like voiced speech, never constant, peak about -6 dBFS.
inline Pcm synthetic_voice(std::size_t samples, int sample_rate = 48000) {
  Pcm out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const double envelope = 0.6 + 0.4 * std::sin(2 * std::numbers::pi * 2.0 * t);
    const double value = 0.5 * std::sin(2 * std::numbers::pi * 300 * t) +
                         0.3 * std::sin(2 * std::numbers::pi * 700 * t + 0.5) +
                         0.2 * std::sin(2 * std::numbers::pi * 1500 * t + 1.0);
    out[i] = static_cast<std::int16_t>(std::lround(16000.0 * envelope * value));
  }
  return out;
}

struct Alignment {
  std::size_t lag = 0;        // output[i + lag] lines up with input[i]
  double correlation = 0.0;   // normalized, -1..1
};

// The normalized cross-correlation of `input` against `output` shifted by
// `lag`, over the samples both cover.
inline double correlation_at(const Pcm& input, const Pcm& output, std::size_t lag) {
  if (lag >= output.size()) return 0.0;
  const std::size_t n = std::min(input.size(), output.size() - lag);
  double xy = 0, xx = 0, yy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = input[i];
    const double y = output[i + lag];
    xy += x * y;
    xx += x * x;
    yy += y * y;
  }
  return xx == 0 || yy == 0 ? 0.0 : xy / std::sqrt(xx * yy);
}

// The best lag in [0, max_lag] and the correlation of the whole signals at
// it. The lag is searched on the first 0.5 s (the path's delay is constant
// in these tests), then refined over the whole signal around it.
inline Alignment best_alignment(const Pcm& input, const Pcm& output, std::size_t max_lag) {
  const Pcm head(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(input.size(), 24000)));
  std::size_t coarse = 0;
  double coarse_best = -2.0;
  for (std::size_t lag = 0; lag <= max_lag && lag < output.size(); ++lag) {
    const Pcm window(output.begin() + static_cast<std::ptrdiff_t>(lag),
                     output.begin() + static_cast<std::ptrdiff_t>(std::min(output.size(), lag + head.size())));
    const double c = correlation_at(head, window, 0);
    if (c > coarse_best) {
      coarse_best = c;
      coarse = lag;
    }
  }
  Alignment best;
  for (std::size_t lag = coarse > 8 ? coarse - 8 : 0; lag <= coarse + 8; ++lag) {
    const double c = correlation_at(input, output, lag);
    if (c > best.correlation) best = Alignment{lag, c};
  }
  return best;
}

}  // namespace qsip::media::test
