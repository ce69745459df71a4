// Incremental decoder for QSIP frames on a stream (wire profile section 2):
//   varint(L) || L bytes of JSON
// It accepts any fragmentation, down to one byte at a time. A frame whose L is
// 0 or more than 65536 is reported and (for L > 65536) its body skipped as it
// arrives, never buffered, so a hostile peer cannot make the decoder grow.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/wire_limits.hpp"

namespace qsip::core {

class FrameDecoder {
 public:
  enum class Event { kFrame, kEmptyFrame, kOversizeFrame };

  // Called for each complete frame, in stream order. For kFrame, `body` is
  // the JSON text (followed by simdjson::SIMDJSON_PADDING readable bytes) and
  // `frame` the whole frame as received (length prefix included), for relaying
  // without re-encoding; both stay valid until the callback returns. For
  // kOversizeFrame, `declared_length` is the L the peer announced.
  struct Sink {
    virtual ~Sink() = default;
    virtual void on_frame(Event event, std::string_view body, std::string_view frame,
                          std::uint64_t declared_length) = 0;
  };

  explicit FrameDecoder(std::size_t max_frame = kMaxFrameBytes);

  // Consumes all of `bytes`, calling `sink` for every frame completed.
  void feed(std::span<const std::uint8_t> bytes, Sink& sink);
  void feed(std::string_view bytes, Sink& sink) {
    feed(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), sink);
  }

  // True when no partial frame is pending (a clean place for the stream to end).
  bool idle() const { return state_ == State::kLength && length_bytes_ == 0; }
  // Bytes held for a partial frame (bounded by the prefix plus max_frame).
  std::size_t buffered() const { return buffer_.size(); }

 private:
  enum class State { kLength, kBody, kSkip };
  void start_frame(std::uint64_t length, Sink& sink);
  void finish_body(Sink& sink);

  std::size_t max_frame_;
  State state_ = State::kLength;
  std::uint8_t length_buf_[8]{};
  std::size_t length_bytes_ = 0;
  std::uint64_t length_ = 0;
  std::uint64_t skip_left_ = 0;
  std::string buffer_;  // prefix + body (+ padding when complete)
  std::size_t prefix_size_ = 0;
};

// Appends one frame (length prefix and body) to `out`.
void append_frame(std::string& out, std::string_view json);
std::string encode_frame(std::string_view json);

}  // namespace qsip::core
