// Per-connection request limits (draft 12): two token buckets, messages a
// second and bytes a second, checked for every valid message before its
// handler. A refused message is answered 4291 TooManyRequests with
// `retry_after_ms`; refusals draw on a third bucket of their own, so a peer
// that ignores retry_after_ms and keeps sending far past the limit is told
// to go (0x10 AbusivePeer) instead of being answered forever.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/envelope_builder.hpp"

namespace qsip::server {

// The [limits] configuration (docs/configuration.md).
struct RequestLimits {
  double messages_per_second = 100;
  double messages_burst = 200;
  double bytes_per_second = 256 * 1024;
  // At least one maximum-size frame (65,536 bytes and its length prefix),
  // or such a message could never pass.
  double bytes_burst = 1024 * 1024;
  // Refused messages a peer may send in a burst (refilled at
  // messages_per_second) before it is disconnected.
  double refusals_burst = 100;
};

class RequestRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Action : std::uint8_t {
    kAdmit,       // hand the message to its handler
    kRefuse,      // answer 4291 with retry_after
    kDisconnect,  // close the connection (0x10)
  };
  struct Verdict {
    Action action = Action::kAdmit;
    std::chrono::milliseconds retry_after{0};  // kRefuse: when this message would pass
  };

  explicit RequestRateLimiter(const RequestLimits& limits, Clock::time_point now = Clock::now());

  // One message of `bytes` bytes (the whole frame) arriving at `now`.
  Verdict admit(std::size_t bytes, Clock::time_point now = Clock::now());

 private:
  void refill(Clock::time_point now);

  const RequestLimits& limits_;
  double messages_;
  double bytes_;
  double refusals_;
  Clock::time_point last_;
};

// The ERROR 4291 TooManyRequests answering `target_message_id`, with
// `retry_after_ms` in its payload beside code, reason, detail and target.
std::string build_too_many_requests(core::EnvelopeFields fields, std::string_view target_message_id,
                                    std::string_view session_id, std::chrono::milliseconds retry_after);

}  // namespace qsip::server
