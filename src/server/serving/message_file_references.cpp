#include "server/serving/message_file_references.hpp"

#include "server/groups/group_directory.hpp"
#include "store/sqlite/sqlite_message_store.hpp"

namespace qsip::server {

bool MessageFileReferences::is_referenced_for(store::SqliteDatabase& reader, const std::string& user_id,
                                              const std::string& file_id) {
  return store::SqliteMessageStore(reader, writer_)
      .file_referenced_for(user_id, group_directory::groups_of(reader, user_id), file_id);
}

}  // namespace qsip::server
