#pragma once
// The aligned correlation of audio that went through a real-time path: a
// jitter buffer that stretches or shrinks its delay by a frame now and then
// moves the lag between input and output mid-signal, which a single lag
// cannot align. The lag is found once over the loudest half second, then
// followed segment by segment: it may move only by whole frames (20 ms,
// the only steps a jitter buffer takes) and only when the new lag is
// clearly better (voiced speech also lines up, less well, one pitch period
// away); the result is the normalized cross-correlation of the whole input
// against the output so aligned. Input with no output to align with (an
// output cut short) counts against it as if the output were silent there.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "test_signals.hpp"

namespace qsip::media::test {

struct TrackedAlignment {
  double correlation = 0.0;  // normalized, -1..1
  long first_lag = 0;        // output[i + lag] lines up with input[i]
  long last_lag = 0;
  std::size_t lag_changes = 0;
};

namespace detail {
struct Sums {
  double xy = 0, xx = 0, yy = 0;
  double normalized() const { return xx == 0 || yy == 0 ? 0.0 : xy / std::sqrt(xx * yy); }
};
// input[from, from + n) against output[from + lag, ...), every `step`-th sample.
inline Sums sums_at(const Pcm& input, const Pcm& output, std::size_t from, std::size_t n, long lag,
                    std::size_t step = 1) {
  Sums s;
  const long start = static_cast<long>(from) + lag;
  if (start < 0 || static_cast<std::size_t>(start) + n > output.size() || from + n > input.size()) return s;
  for (std::size_t i = 0; i < n; i += step) {
    const double x = input[from + i];
    const double y = output[static_cast<std::size_t>(start) + i];
    s.xy += x * y;
    s.xx += x * x;
    s.yy += y * y;
  }
  return s;
}
// The best lag in [low, high] for input[from, from + n): searched on every
// 4th sample and every 2nd lag, then refined sample by sample.
inline long best_lag(const Pcm& input, const Pcm& output, std::size_t from, std::size_t n, long low, long high,
                     long prefer) {
  long coarse = prefer;
  double best = sums_at(input, output, from, n, prefer, 4).normalized();
  for (long lag = low; lag <= high; lag += 2) {
    const double c = sums_at(input, output, from, n, lag, 4).normalized();
    if (c > best + 1e-9) {
      best = c;
      coarse = lag;
    }
  }
  long fine = coarse;
  best = sums_at(input, output, from, n, coarse).normalized();
  for (long lag = coarse - 3; lag <= coarse + 3; ++lag) {
    const double c = sums_at(input, output, from, n, lag).normalized();
    if (c > best + 1e-9) {
      best = c;
      fine = lag;
    }
  }
  return fine;
}
}  // namespace detail

// `min_lag`..`max_lag` bounds the path's delay at the start (in samples);
// `segment` is the length followed at a time, `frame` the step a delay
// change takes and `max_frames` how many of them may come between two
// segments.
inline TrackedAlignment tracked_alignment(const Pcm& input, const Pcm& output, long min_lag, long max_lag,
                                          std::size_t segment = 4800, long frame = 960, long max_frames = 5) {
  TrackedAlignment result;
  if (input.size() < segment || output.empty()) return result;
  // The loudest half second of the input anchors the first lag.
  const std::size_t window = std::min<std::size_t>(input.size(), 24000);
  std::size_t anchor = 0;
  double loudest = -1;
  for (std::size_t from = 0; from + window <= input.size(); from += 4800) {
    const double energy = detail::sums_at(input, input, from, window, 0, 4).xx;
    if (energy > loudest) {
      loudest = energy;
      anchor = from;
    }
  }
  const long lag = detail::best_lag(input, output, anchor, window, min_lag, max_lag, 0);
  // Segments quieter than this carry no usable lag (pauses): they keep the last one.
  const double quiet = 0.05 * loudest / static_cast<double>(window) * static_cast<double>(segment);
  const std::size_t anchor_segment = anchor / segment;
  const std::size_t segments = input.size() / segment;
  std::vector<long> lags(segments, lag);
  auto follow = [&](std::size_t index, long previous) {
    const std::size_t from = index * segment;
    if (detail::sums_at(input, input, from, segment, 0, 4).xx < quiet) return previous;
    auto best_near = [&](long centre, double& best) {
      long at = centre;
      best = -2.0;
      for (long fine = centre - 3; fine <= centre + 3; ++fine) {
        const double c = detail::sums_at(input, output, from, segment, fine).normalized();
        if (c > best) {
          best = c;
          at = fine;
        }
      }
      return at;
    };
    double staying = 0;
    long chosen = best_near(previous, staying);
    double chosen_c = staying;
    for (long k = -max_frames; k <= max_frames; ++k) {
      if (k == 0) continue;
      double c = 0;
      const long at = best_near(previous + k * frame, c);
      if (c > chosen_c && c > staying + 0.05) {
        chosen_c = c;
        chosen = at;
      }
    }
    return chosen;
  };
  // From the anchor back to the start, then forward to the end.
  lags[anchor_segment] = follow(anchor_segment, lag);
  for (std::size_t i = anchor_segment; i-- > 0;) lags[i] = follow(i, lags[i + 1]);
  for (std::size_t i = anchor_segment + 1; i < segments; ++i) lags[i] = follow(i, lags[i - 1]);

  detail::Sums total;
  for (std::size_t i = 0; i < segments; ++i) {
    const std::size_t from = i * segment;
    const detail::Sums s = detail::sums_at(input, output, from, segment, lags[i]);
    total.xy += s.xy;
    total.yy += s.yy;
    // Input whose output is missing counts with silence against it.
    total.xx += detail::sums_at(input, input, from, segment, 0).xx;
    if (i > 0 && lags[i] != lags[i - 1]) ++result.lag_changes;
  }
  result.correlation = total.normalized();
  result.first_lag = lags.front();
  result.last_lag = lags.back();
  return result;
}

}  // namespace qsip::media::test
