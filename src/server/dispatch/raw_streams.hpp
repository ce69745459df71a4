// Streams that leave QSIP framing after their first frame. A client opens a
// dedicated stream for a file transfer (docs/files.md) and sends one framed
// JSON header with a top-level `file_transfer` member, then raw bytes; the
// dispatcher hands such a stream to WorkerContext::streams, which from then
// on receives the stream's bytes instead of the frame decoder.
//
// RawStreams is the per-session bookkeeping behind that hand-over: where in
// the received bytes the header ended, which streams are handed over, and
// the writing side (raw bytes, FIN, reset) the handler answers through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/dispatch/outbound.hpp"

namespace qsip::server {

class ClientSession;

// What the transport offers beyond framed messages. The QUIC binding
// implements it (serving/session_bridge.cpp).
class RawStreamWriter {
 public:
  virtual ~RawStreamWriter() = default;
  // Queues bytes (copied) on a stream, FIN after them when `fin`.
  virtual SendResult write(std::int64_t stream_id, std::string_view bytes, bool fin) = 0;
  // RESET_STREAM (and STOP_SENDING) with a QUIC application error code.
  virtual void reset(std::int64_t stream_id, std::uint64_t app_error_code) = 0;
  // The connection's send queue: bytes queued and not yet acknowledged. A
  // handler sending a large body paces itself on it, so that it never
  // reaches the queue's hard bound (which closes the connection).
  virtual std::size_t queued_bytes() const = 0;
};

// The module that takes handed-over streams (the files module). Called on
// the session's worker thread.
class RawStreamHandler {
 public:
  virtual ~RawStreamHandler() = default;
  // The stream's first frame was `header_json` (a JSON object with a
  // `file_transfer` member; followed by simdjson padding). The session is
  // registered and its token valid. The handler owns the stream from now
  // on and must answer on it; it calls session.raw_streams().drain() when
  // it is done with the stream.
  virtual void on_stream_claimed(ClientSession& session, std::int64_t stream_id, std::string_view header_json) = 0;
  // The bytes that follow the header, in order; `fin` with the last.
  virtual void on_stream_bytes(ClientSession& session, std::int64_t stream_id, std::string_view bytes, bool fin) = 0;
  // The peer reset the stream, or the connection is going away (the
  // session may be half destroyed: drop the stream's state, write nothing).
  virtual void on_stream_aborted(ClientSession& session, std::int64_t stream_id) = 0;
};

// Whether a stream's first frame hands the stream over: a JSON object with a
// top-level `file_transfer` member. `padded_body` is followed by simdjson
// padding. The header's message_id (empty when absent) is what answers
// refusing the stream correlate with.
struct RawStreamHeader {
  std::string message_id;
};
std::optional<RawStreamHeader> parse_raw_stream_header(std::string_view padded_body);

class RawStreams {
 public:
  // A refused or finished stream's further bytes are discarded until the
  // peer's FIN; past this many the stream is reset instead.
  static constexpr std::uint64_t kMaxDrainedBytes = 1024 * 1024;

  // ---- For the handler --------------------------------------------------
  SendResult write(std::int64_t stream_id, std::string_view bytes, bool fin);
  // Resets the stream; what the peer still sends on it is discarded.
  void reset(std::int64_t stream_id, std::uint64_t app_error_code);
  std::size_t queued_bytes() const;
  // The handler is done with the stream: the peer's remaining bytes are
  // discarded until its FIN, then the stream is forgotten.
  void drain(std::int64_t stream_id);

  // ---- For ClientSession --------------------------------------------------
  void set_writer(RawStreamWriter* writer) { writer_ = writer; }
  // A new stream other than the primary: its first frame may hand it over.
  void watch(std::int64_t stream_id);
  // True once per watched stream: for its first frame.
  bool first_frame(std::int64_t stream_id);
  // Hands the stream over at its first frame (`frame_size` bytes, prefix
  // included): to the handler, or (refused) to be drained.
  void claim(std::int64_t stream_id, std::uint64_t frame_size, bool to_handler);
  // After a chunk of `size` bytes of the stream went to its frame decoder:
  // when the stream was handed over during that chunk, the offset in the
  // chunk where the raw bytes begin.
  std::optional<std::size_t> after_feed(std::int64_t stream_id, std::size_t size);
  bool owns(std::int64_t stream_id) const;
  bool to_handler(std::int64_t stream_id) const;
  // Bytes of a stream being drained; forgets it at FIN, resets it past
  // kMaxDrainedBytes.
  void discard(std::int64_t stream_id, std::size_t size, bool fin);
  // A handler-owned stream whose peer finished sending.
  void peer_finished(std::int64_t stream_id);
  void forget(std::int64_t stream_id) { streams_.erase(stream_id); }
  std::vector<std::int64_t> handler_streams() const;

 private:
  enum class Phase : std::uint8_t {
    kWatched,     // no frame yet: counting the bytes fed to the decoder
    kFirstFrame,  // its first frame is being dispatched as a QSIP message
    kClaimedNow,  // handed over during the chunk being decoded
    kOwned,       // handed over: raw bytes
  };
  struct Stream {
    Phase phase = Phase::kWatched;
    std::uint64_t fed = 0;         // bytes fed to the decoder before the current chunk
    std::uint64_t header_end = 0;  // stream offset where the raw bytes begin
    bool to_handler = false;
    bool peer_fin = false;
    std::uint64_t drained = 0;
    bool was_reset = false;
  };
  RawStreamWriter* writer_ = nullptr;
  std::map<std::int64_t, Stream> streams_;
};

}  // namespace qsip::server
