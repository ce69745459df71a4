// Token buckets, pruned when the table grows so a scan of spoofed source
// addresses cannot grow it without bound.
#include "quic/handshake_rate_limiter.hpp"

#include <algorithm>

namespace qsip::quic {

namespace {
constexpr size_t kPruneAbove = 65536;
}

HandshakeRateLimiter::HandshakeRateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(burst, 1.0)) {}

bool HandshakeRateLimiter::allow(const std::string& key, uint64_t now_ns) {
  if (per_second_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ns});
  Bucket& b = it->second;
  if (!inserted) {
    const double elapsed = static_cast<double>(now_ns - b.updated_ns) / 1e9;
    b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
    b.updated_ns = now_ns;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  if (buckets_.size() > kPruneAbove) prune(now_ns);
  return true;
}

void HandshakeRateLimiter::prune(uint64_t now_ns) {
  // A bucket that has refilled completely carries no information.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = static_cast<double>(now_ns - it->second.updated_ns) / 1e9;
    if (it->second.tokens + elapsed * per_second_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace qsip::quic
