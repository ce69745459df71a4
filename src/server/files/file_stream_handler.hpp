// File transfer on dedicated QUIC streams (docs/files.md): the
// RawStreamHandler the dispatcher hands `file_transfer` streams to. One per
// worker (it keeps the transfers of that worker's connections, with no
// lock); the storage behind it is shared.
//
//   upload:   header, file_size raw bytes, FIN  ->  RECEIPT (url, file_id ...) or ERROR, FIN
//   download: header (file_id or url), FIN      ->  RECEIPT (metadata), raw bytes, FIN; or ERROR, FIN
//
// Uploads stream to a temporary file as they arrive. Downloads are paced on
// the connection's send queue (FilesSettings::send_window), resumed by the
// SessionTimer. A transfer without progress for the idle timeout ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/dispatch/raw_streams.hpp"
#include "server/files/file_storage.hpp"
#include "server/files/session_timer.hpp"

namespace qsip::server {

class FileStreamHandler final : public RawStreamHandler {
 public:
  // `reader` is this worker's store connection.
  FileStreamHandler(FileStorage& storage, store::SqliteDatabase& reader, SessionTimer& timer);

  void on_stream_claimed(ClientSession& session, std::int64_t stream_id, std::string_view header_json) override;
  void on_stream_bytes(ClientSession& session, std::int64_t stream_id, std::string_view bytes, bool fin) override;
  void on_stream_aborted(ClientSession& session, std::int64_t stream_id) override;

  // Transfers under way on this worker (tests, metrics).
  std::size_t active() const { return transfers_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  using Key = std::pair<std::uint64_t, std::int64_t>;  // connection id, stream id
  struct Transfer {
    std::string message_id;
    Clock::time_point last_progress;
    // An upload still receiving; null once its record is being committed.
    std::unique_ptr<Upload> upload;
    std::optional<OpenedFile> download;  // a download being sent
    std::uint64_t sent = 0;
    std::size_t last_queued = 0;
    std::chrono::milliseconds pump_delay{0};
  };
  using Transfers = std::map<Key, Transfer>;

  // 4291 past the transfers a connection may run at once, 5002 past the worker's.
  std::optional<core::Failure> too_busy(std::uint64_t connection_id, const std::string& message_id) const;
  void start_upload(ClientSession& session, std::int64_t stream_id, UploadHeader header);
  void start_download(ClientSession& session, std::int64_t stream_id, DownloadHeader header);
  void finish_upload(ClientSession& session, Transfers::iterator it);
  void recorded(ClientSession& session, std::int64_t stream_id, const core::Outcome<FileRecord>& outcome);
  void pump(ClientSession& session, Transfers::iterator it);
  void check_idle(ClientSession& session, std::int64_t stream_id);
  void after(ClientSession& session, std::int64_t stream_id, std::chrono::milliseconds delay,
             void (FileStreamHandler::*step)(ClientSession&, std::int64_t));
  void resume_pump(ClientSession& session, std::int64_t stream_id);

  // Answers ERROR, ends the stream and forgets the transfer (if any).
  void refuse(ClientSession& session, std::int64_t stream_id, const core::Failure& failure);
  // Answers the RECEIPT describing `file` (no FIN).
  void answer_file(ClientSession& session, std::int64_t stream_id, const std::string& message_id,
                   const FileRecord& file);
  // Drops the transfer after a reset of its stream.
  void abandon(ClientSession& session, Transfers::iterator it);

  FileStorage& storage_;
  store::SqliteDatabase& reader_;
  SessionTimer& timer_;
  Transfers transfers_;
  std::vector<char> buffer_;  // one read buffer for this worker's downloads
};

}  // namespace qsip::server
