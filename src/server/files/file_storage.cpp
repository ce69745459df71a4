#include "server/files/file_storage.hpp"

#include <gnutls/crypto.h>

#include <array>
#include <system_error>

#include "core/json_writer.hpp"
#include "core/uuid.hpp"
#include "server/files/file_store.hpp"
#include "server/files/file_url.hpp"

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

std::string new_file_id() {
  std::array<std::uint8_t, 16> bytes{};
  if (gnutls_rnd(GNUTLS_RND_NONCE, bytes.data(), bytes.size()) < 0) throw std::runtime_error("GnuTLS: no randomness");
  return core::uuid_v4(bytes);
}

Failure failure(ErrorCode code, std::string detail, const std::string& message_id) {
  return Failure{code, std::move(detail), message_id, {}};
}

}  // namespace

std::optional<Failure> Upload::append(std::string_view bytes) {
  if (bytes.size() > header_.file_size - received_)
    return failure(ErrorCode::kMalformedPayload,
                   "file_size: more than the " + std::to_string(header_.file_size) + " bytes declared were sent",
                   header_.message_id);
  if (!temp_.append(bytes))
    return failure(ErrorCode::kInternalServerError, "file: cannot write the upload", header_.message_id);
  hash_.update(bytes);
  received_ += bytes.size();
  return std::nullopt;
}

std::string FileStorage::url(const std::string& file_id) const { return file_url(settings_.server_id, file_id); }

core::Outcome<std::unique_ptr<Upload>> FileStorage::begin_upload(store::SqliteDatabase& reader,
                                                                 const std::string& user, UploadHeader header) {
  const auto& id = header.message_id;
  if (header.file_size > settings_.max_file_size)
    return failure(ErrorCode::kMessageTooLarge,
                   "file_size: " + std::to_string(header.file_size) + " bytes, more than the maximum " +
                       std::to_string(settings_.max_file_size),
                   id);
  QuotaLedger::Refusal refusal;
  auto reservation = quota_.reserve(user, header.file_size, settings_.user_quota_bytes,
                                    [&] { return FileStore(reader).bytes_used(user); }, refusal);
  if (!reservation)
    return failure(ErrorCode::kForbidden,
                   "file_size: " + std::to_string(header.file_size) + " bytes would exceed the quota of " +
                       std::to_string(settings_.user_quota_bytes) + " bytes (" + std::to_string(refusal.used) +
                       " used)",
                   id);
  try {
    auto temp = blobs_.create_temp();
    return std::make_unique<Upload>(std::move(header), user, std::move(temp), std::move(reservation));
  } catch (const std::exception&) {
    return failure(ErrorCode::kInternalServerError, "file: cannot store the upload", id);
  }
}

std::optional<Failure> FileStorage::finish_upload(std::unique_ptr<Upload> upload, std::int64_t now_ms,
                                                  Recorded done) {
  const auto& h = upload->header_;
  if (upload->received_ != h.file_size)
    return failure(ErrorCode::kMalformedPayload,
                   "file_size: the stream ended after " + std::to_string(upload->received_) + " of " +
                       std::to_string(h.file_size) + " bytes",
                   h.message_id);
  std::string digest = upload->hash_.hex_digest();
  if (digest != h.sha256)
    return failure(ErrorCode::kMalformedPayload, "sha256: the bytes received hash to " + digest, h.message_id);
  try {
    if (settings_.sync_blobs && !upload->temp_.sync()) throw std::system_error(errno, std::generic_category());
    blobs_.publish(upload->temp_, h.sha256);
  } catch (const std::exception&) {
    return failure(ErrorCode::kInternalServerError, "file: cannot store the upload", h.message_id);
  }
  FileRecord record{new_file_id(), h.sha256, h.file_size, h.mime_type, h.file_name, upload->uploader_, now_ms};
  auto reservation = std::move(upload->reservation_);
  std::string message_id = h.message_id;
  bool queued = writer_.submit([record](store::SqliteDatabase& db) { FileStore(db).insert(record); },
                               [record, reservation, message_id, done](std::exception_ptr error) mutable {
                                 reservation.reset();  // committed (or not): the store counts it now
                                 if (error)
                                   done(failure(ErrorCode::kDatabaseError, "file: cannot record the upload", message_id));
                                 else
                                   done(record);
                               });
  // The blob stays: content-addressed, harmless, and maybe another record's.
  if (!queued) return failure(ErrorCode::kServiceUnavailable, "file: the store is busy; retry", h.message_id);
  return std::nullopt;
}

core::Outcome<OpenedFile> FileStorage::open_download(store::SqliteDatabase& reader, const std::string& user,
                                                     const std::string& file_id) {
  auto record = FileStore(reader).find(file_id);
  if (!record) return failure(ErrorCode::kResourceNotFound, "file_id: no file " + file_id, {});
  if (!access_.can_download(reader, user, *record))
    return failure(ErrorCode::kForbidden, "file_id: " + user + " may not download " + file_id, {});
  auto fd = blobs_.open_blob(record->sha256);
  if (!fd) return failure(ErrorCode::kInternalServerError, "file: the stored bytes are missing", {});
  return OpenedFile{std::move(*record), std::move(fd)};
}

}  // namespace qsip::server

namespace qsip::server {

void FileStorage::record_download(const std::string& user, const std::string& device, const FileRecord& file,
                                  const std::string& ip_address, std::string_view via) const {
  if (audit_ == nullptr) return;
  AuditEvent event;
  event.event_type = kAuditFileDownloaded;
  event.actor_user_id = user;
  event.actor_device_id = device;
  event.target_resource_type = "file";
  event.target_resource_id = file.file_id;
  event.ip_address = ip_address;
  std::string details;
  core::JsonWriter w(details);
  w.begin_object().member("via", via).member("size", static_cast<std::int64_t>(file.size)).end_object();
  event.details_json = std::move(details);
  audit_->record(std::move(event));
}

}  // namespace qsip::server
