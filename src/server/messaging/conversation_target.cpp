#include "server/messaging/conversation_target.hpp"

#include "server/groups/group_directory.hpp"

namespace qsip::server {

bool can_see(store::SqliteDatabase& reader, const store::StoredEvent& message, const std::string& user) {
  if (!message.to_group.empty()) return group_directory::is_member(reader, user, message.to_group);
  return message.sender_user == user || message.to_user == user;
}

std::vector<std::string> conversation_users(store::SqliteDatabase& reader, const store::StoredEvent& message) {
  if (!message.to_group.empty()) return group_directory::members(reader, message.to_group);
  return {message.sender_user, message.to_user};
}

std::optional<store::StoredEvent> visible_message(store::MessageStore& store, store::SqliteDatabase& reader,
                                                  const std::string& user, const std::string& message_id) {
  std::optional<store::StoredEvent> found;
  for (auto& m : store.find_messages(message_id)) {
    if (!can_see(reader, m, user)) continue;
    const bool own = m.sender_user == user;
    if (!found || own) found = std::move(m);
    if (own) break;
  }
  return found;
}

std::string other_party(const store::StoredEvent& message, const std::string& user) {
  return message.sender_user == user ? message.to_user : message.sender_user;
}

}  // namespace qsip::server
