// A token bucket: `burst` tokens, refilled at `per_second`. For limits that
// only need admit-or-drop (typing indicators and the like).
#pragma once

#include <algorithm>
#include <chrono>

namespace qsip::server {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(double per_second, double burst, Clock::time_point now = Clock::now())
      : per_second_(per_second), burst_(burst), tokens_(burst), last_(now) {}

  // Takes one token when there is one.
  bool take(Clock::time_point now = Clock::now()) {
    tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * per_second_);
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  double per_second_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace qsip::server
