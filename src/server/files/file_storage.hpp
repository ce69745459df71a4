// The files module's shared core, used by every worker and by the HTTP
// endpoint: starting an upload (size limit, quota, temporary file),
// finishing it (size and hash checks, the blob put in place, the record
// written), and opening a file for a download (lookup and access check).
// Failures are values carrying the draft's codes (docs/files.md lists them).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/failure.hpp"
#include "server/files/blob_store.hpp"
#include "server/files/file_access.hpp"
#include "server/files/file_record.hpp"
#include "server/files/files_settings.hpp"
#include "server/files/quota_ledger.hpp"
#include "server/dispatch/sha256.hpp"
#include "server/files/transfer_header.hpp"
#include "server/audit/audit_log.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// An upload under way: its temporary file, running hash and quota
// reservation. Destroying it abandons the upload (temporary file removed,
// reservation released).
class Upload {
 public:
  Upload(UploadHeader header, std::string uploader, TempFile temp, std::shared_ptr<QuotaLedger::Reservation> reservation)
      : header_(std::move(header)), uploader_(std::move(uploader)), temp_(std::move(temp)),
        reservation_(std::move(reservation)) {}

  // The next bytes of the body. A Failure when they go past the declared
  // file_size (4001) or cannot be written (5001).
  std::optional<core::Failure> append(std::string_view bytes);

  const UploadHeader& header() const { return header_; }
  const std::string& uploader() const { return uploader_; }
  std::uint64_t received() const { return received_; }
  const std::filesystem::path& temp_path() const { return temp_.path(); }

 private:
  friend class FileStorage;
  UploadHeader header_;
  std::string uploader_;
  TempFile temp_;
  Sha256 hash_;
  std::uint64_t received_ = 0;
  std::shared_ptr<QuotaLedger::Reservation> reservation_;
};

// A stored file opened for reading.
struct OpenedFile {
  FileRecord record;
  UniqueFd fd;
};

class FileStorage {
 public:
  // Runs on the writer thread once the record is committed, or with the failure.
  using Recorded = std::function<void(core::Outcome<FileRecord>)>;

  FileStorage(FilesSettings settings, BlobStore& blobs, FileAccess& access, store::GroupCommitWriter& writer)
      : settings_(std::move(settings)), blobs_(blobs), access_(access), writer_(writer) {}

  const FilesSettings& settings() const { return settings_; }
  std::string url(const std::string& file_id) const;

  // 4004 over max_file_size, 4031 over the user's quota, 5001 when no
  // temporary file can be made. `reader` is the calling thread's store connection.
  core::Outcome<std::unique_ptr<Upload>> begin_upload(store::SqliteDatabase& reader, const std::string& user,
                                                      UploadHeader header);
  // Every byte arrived: 4001 when fewer than declared or the SHA-256
  // differs; otherwise the blob is put in place and the record submitted to
  // the writer, and `done` runs after its commit (the reservation is held
  // until then). A returned Failure means `done` never runs.
  std::optional<core::Failure> finish_upload(std::unique_ptr<Upload> upload, std::int64_t now_ms, Recorded done);

  // 4045 when no such file, 4031 when `user` may not download it, 5001
  // when its blob cannot be opened.
  core::Outcome<OpenedFile> open_download(store::SqliteDatabase& reader, const std::string& user,
                                          const std::string& file_id);

  // Audit (docs/audit.md): a download that starts is recorded as a
  // file_downloaded event; `via` is "quic" or "http". No-op without a log.
  void set_audit_log(AuditLog* log) { audit_ = log; }
  void record_download(const std::string& user, const std::string& device, const FileRecord& file,
                       const std::string& ip_address, std::string_view via) const;

 private:
  FilesSettings settings_;
  BlobStore& blobs_;
  FileAccess& access_;
  store::GroupCommitWriter& writer_;
  QuotaLedger quota_;
  AuditLog* audit_ = nullptr;
};

}  // namespace qsip::server
