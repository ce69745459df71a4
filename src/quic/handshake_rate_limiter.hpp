// Per-source-address budget of new handshakes (a token bucket per IP
// address, all ports of a host sharing one budget). Shared by the workers
// of a Server: consulted only when an Initial would create a connection,
// never on the per-packet path, so one short lock is cheap.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace qsip::quic {

class HandshakeRateLimiter {
 public:
  // `per_second` new handshakes per address, with bursts of `burst`.
  // per_second <= 0 disables the limit.
  HandshakeRateLimiter(double per_second, double burst);

  // Takes one token for `address_key` at time `now_ns`. Returns false when
  // the address is over its budget. Thread-safe.
  bool allow(const std::string& address_key, uint64_t now_ns);

 private:
  struct Bucket {
    double tokens;
    uint64_t updated_ns;
  };
  void prune(uint64_t now_ns);

  const double per_second_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace qsip::quic
