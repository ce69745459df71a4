#include "server/files/file_access.hpp"

namespace qsip::server {

bool UploaderOrReferenceAccess::can_download(store::SqliteDatabase& reader, const std::string& user_id,
                                             const FileRecord& file) {
  if (user_id == file.uploader) return true;
  auto* references = references_.load();
  return references && references->is_referenced_for(reader, user_id, file.file_id);
}

}  // namespace qsip::server
