#pragma once
// A sliding anti-replay window over 64-bit counters (the scheme of IPsec's
// RFC 4303 section 3.4.3): the highest counter accepted and a bitmap of the
// `replay_window_size` counters below it. A counter is fresh when it is above
// the highest, or inside the window and not yet seen; anything below the
// window is too old. Checking and recording are separate so a receiver
// records a counter only after its frame authenticated: a forged frame must
// not be able to move the window.
#include <bitset>
#include <cstddef>
#include <cstdint>

namespace qsip::media {

// 128 frames: 2.56 s of 20 ms audio, far more reordering than a jitter buffer
// keeps, and a frame delayed longer is useless for playout anyway.
inline constexpr std::size_t replay_window_size = 128;

enum class ReplayCheck { fresh, replayed, too_old };

class ReplayWindow {
 public:
  ReplayCheck check(std::uint64_t counter) const;
  // Records a counter that check() found fresh.
  void record(std::uint64_t counter);

 private:
  bool any_ = false;
  std::uint64_t highest_ = 0;
  // Bit i: counter highest_ - i was seen (bit 0 is highest_ itself).
  std::bitset<replay_window_size> seen_;
};

}  // namespace qsip::media
