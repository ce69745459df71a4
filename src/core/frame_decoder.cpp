#include "core/frame_decoder.hpp"

#include <algorithm>

#include "core/varint.hpp"

namespace qsip::core {

FrameDecoder::FrameDecoder(std::size_t max_frame) : max_frame_(max_frame) {}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes, Sink& sink) {
  while (!bytes.empty()) {
    switch (state_) {
      case State::kLength: {
        if (length_bytes_ == 0) length_buf_[0] = bytes[0];
        std::size_t need = varint_length(length_buf_[0]);
        std::size_t take = std::min(need - length_bytes_, bytes.size());
        std::copy_n(bytes.begin(), take, length_buf_ + length_bytes_);
        length_bytes_ += take;
        bytes = bytes.subspan(take);
        if (length_bytes_ < need) return;
        auto decoded = varint_decode(std::span<const std::uint8_t>(length_buf_, need));
        prefix_size_ = need;
        length_bytes_ = 0;
        start_frame(decoded->value, sink);
        break;
      }
      case State::kBody: {
        std::size_t have = buffer_.size() - prefix_size_;
        std::size_t take = std::min<std::size_t>(length_ - have, bytes.size());
        buffer_.append(reinterpret_cast<const char*>(bytes.data()), take);
        bytes = bytes.subspan(take);
        if (buffer_.size() - prefix_size_ == length_) finish_body(sink);
        break;
      }
      case State::kSkip: {
        std::uint64_t take = std::min<std::uint64_t>(skip_left_, bytes.size());
        skip_left_ -= take;
        bytes = bytes.subspan(static_cast<std::size_t>(take));
        if (skip_left_ == 0) state_ = State::kLength;
        break;
      }
    }
  }
}

void FrameDecoder::start_frame(std::uint64_t length, Sink& sink) {
  if (length == 0) {
    state_ = State::kLength;
    sink.on_frame(Event::kEmptyFrame, {}, {}, 0);
    return;
  }
  if (length > max_frame_) {
    // Reported at once, before the body arrives: the peer learns early and we
    // never hold any of it.
    skip_left_ = length;
    state_ = State::kSkip;
    sink.on_frame(Event::kOversizeFrame, {}, {}, length);
    return;
  }
  length_ = length;
  buffer_.clear();
  buffer_.reserve(prefix_size_ + length + simdjson::SIMDJSON_PADDING);
  buffer_.append(reinterpret_cast<const char*>(length_buf_), prefix_size_);
  state_ = State::kBody;
}

void FrameDecoder::finish_body(Sink& sink) {
  std::size_t frame_size = buffer_.size();
  // Padding lets simdjson parse the body in place.
  buffer_.append(simdjson::SIMDJSON_PADDING, '\0');
  std::string_view all(buffer_.data(), frame_size);
  state_ = State::kLength;
  sink.on_frame(Event::kFrame, all.substr(prefix_size_), all, length_);
  buffer_.clear();
}

void append_frame(std::string& out, std::string_view json) {
  std::uint8_t prefix[8];
  std::size_t n = varint_encode(json.size(), prefix);
  out.append(reinterpret_cast<const char*>(prefix), n);
  out.append(json);
}

std::string encode_frame(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 8);
  append_frame(out, json);
  return out;
}

}  // namespace qsip::core
