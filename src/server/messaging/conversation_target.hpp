// Finding the message an action or reaction is about, as the actor may see
// it: a MESSAGE of one of the actor's direct conversations or of a group the
// actor belongs to. Ids are unique per sender only, so the lookup is by id
// among what the actor can see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/message_store.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// True when `user` is a party of the direct conversation of `message`, or a
// member of its group (read on `reader`).
bool can_see(store::SqliteDatabase& reader, const store::StoredEvent& message, const std::string& user);

// The MESSAGE `message_id` that `user` can see, preferring one of `user`'s
// own when there are several.
std::optional<store::StoredEvent> visible_message(store::MessageStore& store, store::SqliteDatabase& reader,
                                                  const std::string& user, const std::string& message_id);

// Where an event about `message` goes: its conversation's users (the two
// parties, or the group's members).
std::vector<std::string> conversation_users(store::SqliteDatabase& reader, const store::StoredEvent& message);

// The other party of the conversation of `message`, from `user`'s side (the
// user itself for notes to self): where an action event is addressed.
std::string other_party(const store::StoredEvent& message, const std::string& user);

}  // namespace qsip::server
