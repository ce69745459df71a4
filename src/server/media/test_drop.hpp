// The test hook `[media] test_drop_percent` (docs/configuration.md): the
// relay drops that share of the datagrams it would forward, chosen by a
// deterministic pseudo-random sequence (splitmix64 over a counter), so a
// test sees a steady loss without a network namespace.
#pragma once

#include <atomic>
#include <cstdint>

namespace qsip::server::media {

class TestDrop {
 public:
  explicit TestDrop(double percent) : threshold_(to_threshold(percent)) {}
  bool enabled() const { return threshold_ != 0; }
  // Whether the next forwarded copy is dropped.
  bool drop() {
    if (threshold_ == 0) return false;
    std::uint64_t z = counter_.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z % kScale < threshold_;
  }

 private:
  static constexpr std::uint64_t kScale = 1'000'000;
  static std::uint64_t to_threshold(double percent) {
    if (!(percent > 0)) return 0;
    if (percent >= 100) return kScale;
    return static_cast<std::uint64_t>(percent * (kScale / 100.0));
  }
  std::uint64_t threshold_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace qsip::server::media
