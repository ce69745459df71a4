#pragma once
// Test audio: a deterministic synthetic signal and the aligned normalized
// cross-correlation the media tests judge received audio by.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <algorithm>
#include <vector>

#include "media/audio_decoder.hpp"

namespace qsip::media::test {

// Three sines of incommensurate frequencies (310, 733 and 1,571 Hz) and a
// chirp from 200 to 2,000 Hz, under a slow 2 Hz swell: tonal like voiced
// speech, never periodic (so only one lag aligns it with itself), peak about
// -6 dBFS.
inline Pcm synthetic_voice(std::size_t samples, int sample_rate = 48000) {
  Pcm out(samples);
  const double duration = static_cast<double>(samples) / sample_rate;
  const double chirp_rate = (2000.0 - 200.0) / duration;  // Hz per second
  for (std::size_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const double envelope = 0.6 + 0.4 * std::sin(2 * std::numbers::pi * 2.0 * t);
    const double value = 0.4 * std::sin(2 * std::numbers::pi * 310 * t) +
                         0.25 * std::sin(2 * std::numbers::pi * 733 * t + 0.5) +
                         0.15 * std::sin(2 * std::numbers::pi * 1571 * t + 1.0) +
                         0.2 * std::sin(2 * std::numbers::pi * (200 * t + chirp_rate * t * t / 2));
    out[i] = static_cast<std::int16_t>(std::lround(16000.0 * envelope * value));
  }
  return out;
}

struct Alignment {
  long lag = 0;               // output[i + lag] lines up with input[i]
  double correlation = 0.0;   // normalized, -1..1
};

// The normalized cross-correlation of `input` against `output` shifted by
// `lag` (negative: the output starts after the input did), over the samples
// both cover.
inline double correlation_at(const Pcm& input, const Pcm& output, long lag) {
  const std::size_t in_start = lag < 0 ? static_cast<std::size_t>(-lag) : 0;
  const std::size_t out_start = lag > 0 ? static_cast<std::size_t>(lag) : 0;
  if (in_start >= input.size() || out_start >= output.size()) return 0.0;
  const std::size_t n = std::min(input.size() - in_start, output.size() - out_start);
  double xy = 0, xx = 0, yy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = input[in_start + i];
    const double y = output[out_start + i];
    xy += x * y;
    xx += x * x;
    yy += y * y;
  }
  return xx == 0 || yy == 0 ? 0.0 : xy / std::sqrt(xx * yy);
}

// The best lag in [-max_lag, max_lag] and the correlation of the whole
// signals at it. The lag is searched on 0.5 s from the middle of the input
// (the path's delay is constant in these tests), then refined over the whole
// signal around it.
inline Alignment best_alignment(const Pcm& input, const Pcm& output, long max_lag) {
  const std::size_t window = std::min<std::size_t>(input.size(), 24000);
  const std::size_t from = (input.size() - window) / 2;
  const Pcm head(input.begin() + static_cast<std::ptrdiff_t>(from),
                 input.begin() + static_cast<std::ptrdiff_t>(from + window));
  long coarse = 0;
  double coarse_best = -2.0;
  for (long lag = -max_lag; lag <= max_lag; ++lag) {
    const long start = static_cast<long>(from) + lag;
    if (start < 0 || static_cast<std::size_t>(start) >= output.size()) continue;
    const Pcm part(output.begin() + start,
                   output.begin() + static_cast<std::ptrdiff_t>(
                                        std::min(output.size(), static_cast<std::size_t>(start) + window)));
    const double c = correlation_at(head, part, 0);
    if (c > coarse_best) {
      coarse_best = c;
      coarse = lag;
    }
  }
  Alignment best;
  for (long lag = coarse - 8; lag <= coarse + 8; ++lag) {
    const double c = correlation_at(input, output, lag);
    if (c > best.correlation) best = Alignment{lag, c};
  }
  return best;
}

// For a path whose delay changes (a jitter buffer stretching or shrinking),
// one lag cannot align the whole signal: each `segment` of the input is
// aligned on its own, at its best lag in [-max_lag, max_lag] (searched on
// every 4th sample and lag, then refined), and the correlations of the
// segments are returned in order.
inline std::vector<double> segment_correlations(const Pcm& input, const Pcm& output, std::size_t segment,
                                                long max_lag) {
  std::vector<double> out;
  for (std::size_t from = 0; from + segment <= input.size(); from += segment) {
    auto correlation = [&](long lag, std::size_t step) {
      const long start = static_cast<long>(from) + lag;
      if (start < 0 || static_cast<std::size_t>(start) + segment > output.size()) return -2.0;
      double xy = 0, xx = 0, yy = 0;
      for (std::size_t i = 0; i < segment; i += step) {
        const double x = input[from + i];
        const double y = output[static_cast<std::size_t>(start) + i];
        xy += x * y;
        xx += x * x;
        yy += y * y;
      }
      return xx == 0 || yy == 0 ? 0.0 : xy / std::sqrt(xx * yy);
    };
    long coarse = 0;
    double best = -2.0;
    for (long lag = -max_lag; lag <= max_lag; lag += 4) {
      const double c = correlation(lag, 4);
      if (c > best) {
        best = c;
        coarse = lag;
      }
    }
    best = -2.0;
    for (long lag = coarse - 4; lag <= coarse + 4; ++lag) best = std::max(best, correlation(lag, 1));
    out.push_back(best);
  }
  return out;
}

}  // namespace qsip::media::test
