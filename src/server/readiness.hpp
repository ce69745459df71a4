// Whether qsipd serves QUIC: set by the server loop once its listeners are
// up, cleared when a stop begins; read by /healthz on another thread.
#pragma once

#include <atomic>

namespace qsip::server {

class Readiness {
 public:
  void set(bool ready) noexcept { ready_.store(ready, std::memory_order_release); }
  bool ready() const noexcept { return ready_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> ready_{false};
};

}  // namespace qsip::server
