// Deleting a message for everyone (docs/messaging.md "MESSAGE_ACTION"), the
// one path every kind of delete takes, so that what is stored and what
// devices get is the same whoever deletes:
// - the author's MESSAGE_ACTION delete (message_action_handler.cpp) stores
//   the author's own envelope with deletion_of() as its change;
// - a delete the server makes (an ephemeral message's expiry, a
//   moderator's delete_message) stores a MESSAGE_ACTION delete from the
//   server with the same change, through delete_as_server().
// Either way the message's content, edit history and reactions go, and a
// MESSAGE_ACTION `delete` naming it reaches every device of every party of
// its conversation (offline ones at their next REGISTER).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/failure.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/messaging/message_delivery.hpp"
#include "store/message_store.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

class DeviceDirectory;
class ConnectionMailer;

// The change that deletes `message`, applied in the commit of the event that says so.
store::MessageChange deletion_of(const store::StoredEvent& message);

// True when `message` was deleted already (a second delete is 4051).
bool already_deleted(store::MessageStore& store, const store::StoredEvent& message);

// What a server-made delete says besides the target: `reason` (e.g.
// "ephemeral_ttl", or the moderator's), and who had it done.
struct ServerDeletion {
  std::string reason;
  std::string by_user_id;  // empty: nobody (the server's own clock)
};

// Stores a MESSAGE_ACTION delete of `message` from the server in its
// conversation: once for a group, once for each party of a direct
// conversation (the server is neither party, and a device gets the events
// addressed to its user or sent by it), the first carrying the deletion.
// Each goes, once committed, to every device of its users through
// `delivery`. `done` (on the store's thread) gets the first event's outcome.
// False when the store refused the work (overloaded).
bool delete_as_server(store::MessageStore& store, store::SqliteDatabase& reader, ServerIdentity& identity,
                      MessageDelivery& delivery, DeviceDirectory& directory, ConnectionMailer& mailer,
                      const store::StoredEvent& message, const ServerDeletion& why,
                      std::function<void(const store::AppendOutcome&)> done = {});

}  // namespace qsip::server
