#include "server/files/file_stream_handler.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "quic/app_error.hpp"
#include "server/dispatch/client_session.hpp"

namespace qsip::server {

using core::ErrorCode;
using core::Failure;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// Download pacing: look again soon while the queue drains, less often while
// the peer does not read.
constexpr std::chrono::milliseconds kPumpDelayMin{5};
constexpr std::chrono::milliseconds kPumpDelayMax{200};
// Each transfer holds a file descriptor: bounded per connection (a client
// has no use for more at once) and per worker (the process's descriptors).
constexpr std::size_t kMaxTransfersPerConnection = 16;
constexpr std::size_t kMaxTransfersPerWorker = 256;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// RECEIPT needs a target_message_id; a header without message_id is
// answered on its own stream anyway, which the stream id names.
std::string target_of(const std::string& message_id, std::int64_t stream_id) {
  return message_id.empty() ? "file-transfer-" + std::to_string(stream_id) : message_id;
}

}  // namespace

FileStreamHandler::FileStreamHandler(FileStorage& storage, store::SqliteDatabase& reader, SessionTimer& timer)
    : storage_(storage), reader_(reader), timer_(timer), buffer_(kReadChunk) {}

void FileStreamHandler::on_stream_claimed(ClientSession& session, std::int64_t stream_id,
                                          std::string_view header_json) {
  auto header = parse_transfer_header(header_json);
  if (!header) return refuse(session, stream_id, header.failure());
  std::string message_id = header_message_id(header.value());
  if (auto busy = too_busy(session.connection_id(), message_id)) return refuse(session, stream_id, *busy);
  try {
    if (auto* up = std::get_if<UploadHeader>(&header.value()))
      start_upload(session, stream_id, std::move(*up));
    else
      start_download(session, stream_id, std::move(std::get<DownloadHeader>(header.value())));
  } catch (const store::StoreError&) {
    refuse(session, stream_id, Failure{ErrorCode::kDatabaseError, "file: the store cannot be read", message_id, {}});
  } catch (const std::exception&) {
    refuse(session, stream_id, Failure{ErrorCode::kInternalServerError, "file: internal error", message_id, {}});
  }
}

std::optional<Failure> FileStreamHandler::too_busy(std::uint64_t connection_id, const std::string& message_id) const {
  if (transfers_.size() >= kMaxTransfersPerWorker)
    return Failure{ErrorCode::kServiceUnavailable, "file_transfer: too many transfers on this server; retry later",
                   message_id, {}};
  auto first = transfers_.lower_bound({connection_id, std::numeric_limits<std::int64_t>::min()});
  std::size_t mine = 0;
  for (auto it = first; it != transfers_.end() && it->first.first == connection_id; ++it) ++mine;
  if (mine >= kMaxTransfersPerConnection)
    return Failure{ErrorCode::kTooManyRequests,
                   "file_transfer: at most " + std::to_string(kMaxTransfersPerConnection) +
                       " transfers at once on a connection",
                   message_id, {}};
  return std::nullopt;
}

void FileStreamHandler::start_upload(ClientSession& session, std::int64_t stream_id, UploadHeader header) {
  std::string message_id = header.message_id;
  auto upload = storage_.begin_upload(reader_, session.user_id(), std::move(header));
  if (!upload) return refuse(session, stream_id, upload.failure());
  auto& t = transfers_[{session.connection_id(), stream_id}];
  t.message_id = std::move(message_id);
  t.upload = std::move(upload.value());
  t.last_progress = Clock::now();
  after(session, stream_id, storage_.settings().idle_timeout, &FileStreamHandler::check_idle);
}

void FileStreamHandler::start_download(ClientSession& session, std::int64_t stream_id, DownloadHeader header) {
  const auto& server_id = storage_.settings().server_id;
  if (!header.url_server_id.empty() && header.url_server_id != server_id)
    return refuse(session, stream_id,
                  Failure{ErrorCode::kResourceNotFound, "url: names server " + header.url_server_id + ", not " + server_id,
                          header.message_id, {}});
  auto opened = storage_.open_download(reader_, session.user_id(), header.file_id);
  if (!opened) {
    opened.failure().target_message_id = header.message_id;
    return refuse(session, stream_id, opened.failure());
  }
  answer_file(session, stream_id, header.message_id, opened->record);
  storage_.record_download(session.user_id(), session.device_id(), opened->record, session.peer_address(), "quic");
  auto it = transfers_.try_emplace({session.connection_id(), stream_id}).first;
  auto& t = it->second;
  t.message_id = std::move(header.message_id);
  t.download = std::move(opened.value());
  t.last_progress = Clock::now();
  t.pump_delay = kPumpDelayMin;
  pump(session, it);
}

void FileStreamHandler::on_stream_bytes(ClientSession& session, std::int64_t stream_id, std::string_view bytes,
                                        bool fin) {
  auto it = transfers_.find({session.connection_id(), stream_id});
  if (it == transfers_.end()) return;
  auto& t = it->second;
  // A download's client has nothing to send after its header: ignored.
  if (!t.upload) return;
  if (!bytes.empty()) {
    t.last_progress = Clock::now();
    if (auto failure = t.upload->append(bytes)) return refuse(session, stream_id, *failure);
  }
  if (!fin) return;
  try {
    finish_upload(session, it);
  } catch (const std::exception&) {
    refuse(session, stream_id, Failure{ErrorCode::kInternalServerError, "file: internal error", t.message_id, {}});
  }
}

void FileStreamHandler::finish_upload(ClientSession& session, Transfers::iterator it) {
  auto& t = it->second;
  std::uint64_t connection_id = session.connection_id();
  std::int64_t stream_id = it->first.second;
  // The completion runs on the writer thread: it only hands the outcome
  // back to this connection's worker.
  auto failure = storage_.finish_upload(std::move(t.upload), now_ms(),
                                        [this, connection_id, stream_id](core::Outcome<FileRecord> outcome) {
                                          timer_.run_after(connection_id, 0ms,
                                                           [this, stream_id, outcome](ClientSession& s) {
                                                             recorded(s, stream_id, outcome);
                                                           });
                                        });
  if (failure) refuse(session, stream_id, *failure);
}

void FileStreamHandler::recorded(ClientSession& session, std::int64_t stream_id,
                                 const core::Outcome<FileRecord>& outcome) {
  auto it = transfers_.find({session.connection_id(), stream_id});
  if (it == transfers_.end()) return;  // the client gave up meanwhile; the file is stored all the same
  if (!outcome) return refuse(session, stream_id, outcome.failure());
  answer_file(session, stream_id, it->second.message_id, outcome.value());
  session.raw_streams().write(stream_id, {}, /*fin=*/true);
  session.raw_streams().drain(stream_id);
  transfers_.erase(it);
}

void FileStreamHandler::pump(ClientSession& session, Transfers::iterator it) {
  auto& t = it->second;
  auto& raw = session.raw_streams();
  std::int64_t stream_id = it->first.second;
  const std::uint64_t size = t.download->record.size;
  const std::size_t window = storage_.settings().send_window;
  bool progressed = false;
  if (size == 0 && raw.write(stream_id, {}, /*fin=*/true) != SendResult::kQueued) return abandon(session, it);
  while (t.sent < size && raw.queued_bytes() < window) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), size - t.sent));
    ssize_t n = ::pread(t.download->fd.get(), buffer_.data(), want, static_cast<off_t>(t.sent));
    if (n < 0 && errno == EINTR) continue;
    // The blob cannot be read as recorded: a reset, never a short body ending in FIN.
    if (n <= 0) return abandon(session, it);
    auto chunk = static_cast<std::size_t>(n);
    bool last = t.sent + chunk == size;
    if (raw.write(stream_id, std::string_view(buffer_.data(), chunk), last) != SendResult::kQueued)
      return abandon(session, it);
    t.sent += chunk;
    progressed = true;
  }
  if (t.sent == size) {
    raw.drain(stream_id);
    transfers_.erase(it);
    return;
  }
  // The queue is full: wait for the peer's acknowledgements to drain it.
  std::size_t queued = raw.queued_bytes();
  auto now = Clock::now();
  if (progressed || queued < t.last_queued) {
    t.last_progress = now;
    t.pump_delay = kPumpDelayMin;
  } else {
    t.pump_delay = std::min(t.pump_delay * 2, kPumpDelayMax);
  }
  t.last_queued = queued;
  if (now - t.last_progress >= storage_.settings().idle_timeout) return abandon(session, it);
  after(session, stream_id, t.pump_delay, &FileStreamHandler::resume_pump);
}

void FileStreamHandler::resume_pump(ClientSession& session, std::int64_t stream_id) {
  auto it = transfers_.find({session.connection_id(), stream_id});
  if (it != transfers_.end() && it->second.download) pump(session, it);
}

void FileStreamHandler::check_idle(ClientSession& session, std::int64_t stream_id) {
  auto it = transfers_.find({session.connection_id(), stream_id});
  if (it == transfers_.end() || !it->second.upload) return;  // done, or being recorded
  auto idle = Clock::now() - it->second.last_progress;
  auto timeout = storage_.settings().idle_timeout;
  if (idle < timeout)
    return after(session, stream_id, std::chrono::duration_cast<std::chrono::milliseconds>(timeout - idle) + 1ms,
                 &FileStreamHandler::check_idle);
  refuse(session, stream_id,
         Failure{ErrorCode::kRequestTimeout, "file: no bytes within the idle timeout; upload abandoned",
                 it->second.message_id, {}});
}

void FileStreamHandler::after(ClientSession& session, std::int64_t stream_id, std::chrono::milliseconds delay,
                              void (FileStreamHandler::*step)(ClientSession&, std::int64_t)) {
  timer_.run_after(session.connection_id(), delay,
                   [this, stream_id, step](ClientSession& s) { (this->*step)(s, stream_id); });
}

void FileStreamHandler::on_stream_aborted(ClientSession& session, std::int64_t stream_id) {
  // The transfer's destructor removes an upload's temporary file and
  // releases its quota reservation; a download's file is closed.
  transfers_.erase({session.connection_id(), stream_id});
}

void FileStreamHandler::refuse(ClientSession& session, std::int64_t stream_id, const Failure& failure) {
  transfers_.erase({session.connection_id(), stream_id});
  session.answer_error(stream_id, failure);
  session.raw_streams().write(stream_id, {}, /*fin=*/true);
  // The rest of what the client sends (a refused upload's body) is discarded.
  session.raw_streams().drain(stream_id);
}

void FileStreamHandler::abandon(ClientSession& session, Transfers::iterator it) {
  session.raw_streams().reset(it->first.second, quic::kAppErrorStreamCancelled);
  transfers_.erase(it);
}

void FileStreamHandler::answer_file(ClientSession& session, std::int64_t stream_id, const std::string& message_id,
                                    const FileRecord& file) {
  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object()
      .member("url", storage_.url(file.file_id))
      .member("file_id", file.file_id)
      .member("file_name", file.file_name)
      .member("file_size", file.size)
      .member("mime_type", file.mime_type)
      .member("sha256", file.sha256)
      .member("uploader", file.uploader)
      .member("created_at", core::format_timestamp(std::chrono::system_clock::time_point(
                                std::chrono::milliseconds(file.created_at_ms))))
      .end_object();
  session.answer_receipt(stream_id, target_of(message_id, stream_id), "ok", extra);
}

}  // namespace qsip::server
