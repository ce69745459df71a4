// Bytes the application queued on one stream, kept until the peer
// acknowledges them (ngtcp2 references them for retransmission, so a chunk
// never moves once queued).
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace qsip::quic {

class StreamSendBuffer {
 public:
  void append(std::span<const uint8_t> data);
  // Bytes queued but not yet handed to ngtcp2.
  uint64_t unsent() const { return end_offset_ - write_offset_; }
  // Bytes queued and not yet acknowledged (what the send queue bound counts).
  uint64_t unacked() const { return end_offset_ - acked_offset_; }
  // Fills up to `max` vectors with unsent bytes; returns the count.
  size_t peek_unsent(ngtcp2_vec* vecs, size_t max) const;
  // `n` unsent bytes were written into packets.
  void consume_unsent(uint64_t n);
  // The peer acknowledged the stream up to `offset`; frees whole chunks.
  // Returns how many bytes left the unacked count.
  uint64_t ack_to(uint64_t offset);
  // 0-RTT was rejected: everything not acknowledged must be sent again.
  void rewind_to_acked();
  bool empty() const { return end_offset_ == acked_offset_; }

 private:
  std::deque<std::vector<uint8_t>> chunks_;
  uint64_t front_offset_ = 0;  // stream offset of chunks_.front()[0]
  uint64_t acked_offset_ = 0;
  uint64_t write_offset_ = 0;
  uint64_t end_offset_ = 0;
  // Write cursor: chunk index and offset inside it of write_offset_.
  size_t write_chunk_ = 0;
  size_t write_in_chunk_ = 0;
};

}  // namespace qsip::quic
