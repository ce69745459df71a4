// The files module's FileReferenceCheck answered by the message stream: a
// user may download a file when they can see a (not deleted) message that
// references it (docs/files.md, docs/messaging.md).
#pragma once

#include "server/files/file_access.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

class MessageFileReferences final : public FileReferenceCheck {
 public:
  explicit MessageFileReferences(store::GroupCommitWriter& writer) : writer_(writer) {}
  bool is_referenced_for(store::SqliteDatabase& reader, const std::string& user_id, const std::string& file_id) override;

 private:
  store::GroupCommitWriter& writer_;  // unused by the read, required by the store's shape
};

}  // namespace qsip::server
