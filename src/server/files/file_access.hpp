// Who may download a stored file. Both download paths (a QUIC stream and
// HTTP) ask the same FileAccess, with the store connection of the thread
// they run on.
//
// The rule today: the uploader may always download. The messaging module
// adds "a user who can see a message that references the file" by
// implementing FileReferenceCheck and plugging it into
// UploaderOrReferenceAccess (docs/files.md).
#pragma once

#include <atomic>
#include <string>

#include "server/files/file_record.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

class FileAccess {
 public:
  virtual ~FileAccess() = default;
  // Called concurrently from worker threads and the HTTP thread, each with
  // its own `reader`: implementations keep no unsynchronized state.
  virtual bool can_download(store::SqliteDatabase& reader, const std::string& user_id, const FileRecord& file) = 0;
};

// Implemented by the module that knows which messages reference which
// files (messaging): true when `user_id` can see a message that references
// `file_id`. Same threading rules as FileAccess.
class FileReferenceCheck {
 public:
  virtual ~FileReferenceCheck() = default;
  virtual bool is_referenced_for(store::SqliteDatabase& reader, const std::string& user_id,
                                 const std::string& file_id) = 0;
};

// The uploader, or anyone the reference check (when one is plugged in)
// says can see a message referencing the file.
class UploaderOrReferenceAccess final : public FileAccess {
 public:
  explicit UploaderOrReferenceAccess(FileReferenceCheck* references = nullptr) : references_(references) {}
  // Plug the check in before serving starts (or at any time: atomic).
  void set_reference_check(FileReferenceCheck* references) { references_.store(references); }
  bool can_download(store::SqliteDatabase& reader, const std::string& user_id, const FileRecord& file) override;

 private:
  std::atomic<FileReferenceCheck*> references_;
};

}  // namespace qsip::server
