// What the dispatcher needs from a connection: send framed bytes on a
// stream, and close. The QUIC binding implements it; tests use a recorder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace qsip::server {

// Framed message bytes, shared (not copied) between every recipient.
using FrameBytes = std::shared_ptr<const std::string>;

inline FrameBytes make_frame_bytes(std::string bytes) {
  return std::make_shared<const std::string>(std::move(bytes));
}

enum class Delivery : std::uint8_t {
  kReliable,   // must arrive (answers, messages); counts against the hard bound
  kDroppable,  // may be dropped under back-pressure (typing, presence of others)
};

enum class SendResult : std::uint8_t { kQueued, kDropped, kClosed };

class Outbound {
 public:
  virtual ~Outbound() = default;
  virtual SendResult send(std::int64_t stream_id, FrameBytes frame, Delivery delivery) = 0;
  // Closes the connection with a QUIC application error code (quic/app_error_codes.hpp).
  virtual void close(std::uint64_t app_error_code, std::string_view reason) = 0;
};

}  // namespace qsip::server
