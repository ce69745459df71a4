// StreamSendBuffer: a deque of immutable chunks with a write cursor.
#include "quic/stream_send_buffer.hpp"

#include <algorithm>

namespace qsip::quic {

void StreamSendBuffer::append(std::span<const uint8_t> data) {
  if (data.empty()) return;
  chunks_.emplace_back(data.begin(), data.end());
  end_offset_ += data.size();
}

size_t StreamSendBuffer::peek_unsent(ngtcp2_vec* vecs, size_t max) const {
  size_t n = 0;
  size_t idx = write_chunk_;
  size_t in = write_in_chunk_;
  while (n < max && idx < chunks_.size()) {
    const auto& c = chunks_[idx];
    vecs[n].base = const_cast<uint8_t*>(c.data() + in);
    vecs[n].len = c.size() - in;
    ++n;
    ++idx;
    in = 0;
  }
  return n;
}

void StreamSendBuffer::consume_unsent(uint64_t n) {
  write_offset_ += n;
  while (n > 0 && write_chunk_ < chunks_.size()) {
    const size_t left = chunks_[write_chunk_].size() - write_in_chunk_;
    if (n < left) {
      write_in_chunk_ += n;
      return;
    }
    n -= left;
    ++write_chunk_;
    write_in_chunk_ = 0;
  }
}

uint64_t StreamSendBuffer::ack_to(uint64_t offset) {
  offset = std::min(offset, end_offset_);
  if (offset <= acked_offset_) return 0;
  const uint64_t freed = offset - acked_offset_;
  acked_offset_ = offset;
  // A chunk is released only when entirely acknowledged and already
  // written, so the write cursor never points at a freed chunk.
  while (!chunks_.empty() && front_offset_ + chunks_.front().size() <= acked_offset_ &&
         write_chunk_ > 0) {
    front_offset_ += chunks_.front().size();
    chunks_.pop_front();
    --write_chunk_;
  }
  return freed;
}

void StreamSendBuffer::rewind_to_acked() {
  write_offset_ = front_offset_;
  write_chunk_ = 0;
  write_in_chunk_ = 0;
  consume_unsent(acked_offset_ - front_offset_);
  write_offset_ = acked_offset_;
}

}  // namespace qsip::quic
