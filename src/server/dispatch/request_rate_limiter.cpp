#include "server/dispatch/request_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "core/error_registry.hpp"
#include "core/payload_builders.hpp"

namespace qsip::server {

RequestRateLimiter::RequestRateLimiter(const RequestLimits& limits, Clock::time_point now)
    : limits_(limits),
      messages_(limits.messages_burst),
      bytes_(limits.bytes_burst),
      refusals_(limits.refusals_burst),
      last_(now) {}

void RequestRateLimiter::refill(Clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - last_).count();
  if (elapsed <= 0) return;
  last_ = now;
  messages_ = std::min(limits_.messages_burst, messages_ + elapsed * limits_.messages_per_second);
  bytes_ = std::min(limits_.bytes_burst, bytes_ + elapsed * limits_.bytes_per_second);
  refusals_ = std::min(limits_.refusals_burst, refusals_ + elapsed * limits_.messages_per_second);
}

RequestRateLimiter::Verdict RequestRateLimiter::admit(std::size_t bytes, Clock::time_point now) {
  refill(now);
  double size = static_cast<double>(bytes);
  if (messages_ >= 1 && bytes_ >= size) {
    messages_ -= 1;
    bytes_ -= size;
    return {};
  }
  // A refused message costs nothing of the budgets it was refused by, only
  // a refusal: a client that waits retry_after_ms never runs out of those.
  refusals_ -= 1;
  if (refusals_ < 0) return {Action::kDisconnect, {}};
  double wait_seconds = std::max((1 - messages_) / limits_.messages_per_second, (size - bytes_) / limits_.bytes_per_second);
  auto ms = static_cast<std::int64_t>(std::ceil(std::max(0.0, wait_seconds) * 1000));
  return {Action::kRefuse, std::chrono::milliseconds(std::max<std::int64_t>(1, ms))};
}

std::string build_too_many_requests(core::EnvelopeFields fields, std::string_view target_message_id,
                                    std::string_view session_id, std::chrono::milliseconds retry_after) {
  constexpr auto code = core::ErrorCode::kTooManyRequests;
  auto payload = core::builders::ErrorPayload()
                     .code(static_cast<std::int64_t>(core::to_number(code)))
                     .reason(core::reason_phrase(code))
                     .detail("rate limit: wait retry_after_ms before sending again");
  if (!target_message_id.empty()) payload.target_message_id(target_message_id);
  payload.set("retry_after_ms", static_cast<std::int64_t>(retry_after.count()));
  fields.type = "ERROR";
  fields.session_id = session_id;
  return core::build_envelope(fields, payload.json());
}

}  // namespace qsip::server
