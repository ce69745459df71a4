#include "server/dispatch/raw_streams.hpp"

#include <simdjson.h>

#include "quic/app_error.hpp"

namespace qsip::server {

std::optional<RawStreamHeader> parse_raw_stream_header(std::string_view padded_body) {
  // Most non-primary streams carry ordinary messages: a text search spares
  // them a second parse (the validator parses them anyway).
  if (padded_body.find("\"file_transfer\"") == std::string_view::npos) return std::nullopt;
  // One parser per worker thread: a parser's buffers grow to the largest
  // document it saw, too much to keep per session.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(padded_body.data(), padded_body.size(), false).get(object)) return std::nullopt;
  if (object["file_transfer"].error()) return std::nullopt;
  RawStreamHeader header;
  std::string_view id;
  if (!object["message_id"].get(id) && !id.empty() && id.size() <= 256) header.message_id = std::string(id);
  return header;
}

SendResult RawStreams::write(std::int64_t stream_id, std::string_view bytes, bool fin) {
  if (!writer_) return SendResult::kClosed;
  return writer_->write(stream_id, bytes, fin);
}

void RawStreams::reset(std::int64_t stream_id, std::uint64_t app_error_code) {
  if (writer_) writer_->reset(stream_id, app_error_code);
  // Kept (silent) until the peer's FIN or reset: bytes already in flight
  // must not reach the frame decoder as if they were messages.
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  it->second.to_handler = false;
  it->second.was_reset = true;
}

std::size_t RawStreams::queued_bytes() const { return writer_ ? writer_->queued_bytes() : 0; }

void RawStreams::drain(std::int64_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  if (it->second.peer_fin) {
    streams_.erase(it);
    return;
  }
  it->second.to_handler = false;
}

void RawStreams::watch(std::int64_t stream_id) { streams_[stream_id] = Stream{}; }

bool RawStreams::first_frame(std::int64_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end() || it->second.phase != Phase::kWatched) return false;
  it->second.phase = Phase::kFirstFrame;
  return true;
}

void RawStreams::claim(std::int64_t stream_id, std::uint64_t frame_size, bool to_handler) {
  auto& s = streams_[stream_id];
  s.phase = Phase::kClaimedNow;
  s.header_end = frame_size;  // the first frame starts the stream
  s.to_handler = to_handler;
}

std::optional<std::size_t> RawStreams::after_feed(std::int64_t stream_id, std::size_t size) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return std::nullopt;
  auto& s = it->second;
  switch (s.phase) {
    case Phase::kWatched:
      s.fed += size;
      return std::nullopt;
    case Phase::kFirstFrame:  // an ordinary stream: nothing more to watch
      streams_.erase(it);
      return std::nullopt;
    case Phase::kClaimedNow:
      s.phase = Phase::kOwned;
      return static_cast<std::size_t>(s.header_end - s.fed);
    case Phase::kOwned:
      break;
  }
  return std::nullopt;
}

bool RawStreams::owns(std::int64_t stream_id) const {
  auto it = streams_.find(stream_id);
  return it != streams_.end() && (it->second.phase == Phase::kClaimedNow || it->second.phase == Phase::kOwned);
}

bool RawStreams::to_handler(std::int64_t stream_id) const {
  auto it = streams_.find(stream_id);
  return it != streams_.end() && it->second.phase == Phase::kOwned && it->second.to_handler;
}

void RawStreams::discard(std::int64_t stream_id, std::size_t size, bool fin) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  if (fin) {
    streams_.erase(it);
    return;
  }
  it->second.drained += size;
  // A peer that ignores the refusal and keeps sending costs bandwidth
  // only; past a bound it is told to stop.
  if (it->second.drained > kMaxDrainedBytes && !it->second.was_reset) reset(stream_id, quic::kAppErrorStreamCancelled);
}

void RawStreams::peer_finished(std::int64_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it != streams_.end()) it->second.peer_fin = true;
}

std::vector<std::int64_t> RawStreams::handler_streams() const {
  std::vector<std::int64_t> out;
  for (const auto& [id, s] : streams_)
    if (s.phase == Phase::kOwned && s.to_handler) out.push_back(id);
  return out;
}

}  // namespace qsip::server
