// What the messaging module keeps, as an interface: the SQLite backend
// (store/sqlite/sqlite_message_store.hpp) is the embedded default, and a
// PostgreSQL backend implements the same calls without touching the module.
//
// The store is one ordered stream of durable events (MESSAGE, MESSAGE_ACTION,
// REACTION) numbered by `seq`, which only grows. Each device has a cursor in
// that stream: everything addressed to its user after the cursor is what it
// still has to receive (docs/messaging.md "Store and forward").
//
// Writes are asynchronous: they run on the store's writer, many to one
// commit, and their completion runs once they are durable (on the writer's
// thread: completions only hand results to the thread that asked). Reads run
// on the calling worker's own connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace qsip::store {

// Where a message stands (draft Appendix B); ordered, so a state only moves forward.
enum class MessageState : int {
  kSentToServer = 1,          // committed: the sender got delivered_to_server
  kDeliveredToClient = 2,     // a recipient device acknowledged it
  kRead = 3,                  // a recipient read it
  kFailed = 4,                // delivery became impossible
};

// One durable event, as stored.
struct StoredEvent {
  std::int64_t seq = 0;
  std::string kind;            // the envelope's type: MESSAGE, MESSAGE_ACTION, REACTION
  std::string sender_user;
  std::string sender_device;
  std::string message_id;
  std::string to_user;         // direct: the recipient; empty for a group
  std::string to_group;        // group or channel id; empty for a direct message
  std::string thread_id;
  std::string reply_to;
  std::string target_message_id;  // MESSAGE_ACTION, REACTION: the message acted on
  std::string priority;        // MESSAGE: urgent, normal, low ("" = normal)
  std::int64_t created_at_ms = 0;
  std::string envelope;        // the JSON envelope as received (no frame prefix)
  std::string search_text;     // what full-text search indexes ("" = nothing)
  MessageState state = MessageState::kSentToServer;
  std::int64_t ephemeral_ttl_s = 0;  // MESSAGE: deleted this long after its first delivery (0 = kept)
  std::int64_t deliver_at_ms = 0;    // MESSAGE with schedule_time: held until then (0 = now)
  std::vector<std::string> file_ids; // MESSAGE: the stored files it references (docs/files.md)
};

// What an event does to the message it targets, applied in the same commit
// as the event itself.
struct MessageChange {
  enum class Kind { kNone, kEdit, kDelete, kReactionAdd, kReactionRemove };
  Kind kind = Kind::kNone;
  std::int64_t target_seq = 0;
  std::string new_payload;      // kEdit: the payload after the edit (JSON object)
  std::string new_search_text;  // kEdit
  std::string user_id;          // reactions: who reacts
  std::string reaction;         // reactions: the emoji
};

// The outcome of appending one event.
struct AppendOutcome {
  bool stored = false;         // false: the store failed (error holds why)
  bool duplicate = false;      // (sender_user, message_id) was already stored: nothing new
  bool unchanged = false;      // the change was a no-op (a reaction already there, or not there): no event stored
  std::int64_t seq = 0;        // the event's seq (the first one's, for a duplicate)
  std::string error;
};

// A message as a reader sees it now: edits, deletion and reactions applied.
struct MessageNow {
  StoredEvent event;
  bool deleted = false;
  std::int64_t edited_at_ms = 0;     // 0: never edited
  std::string current_payload;       // "" : as sent (the envelope's payload)
  int edit_count = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> reactions;  // emoji -> users, in order
};

// A page of history as one user may see it (SYNC, docs/messaging.md).
struct HistoryQuery {
  std::string user_id;           // whose view
  std::vector<std::string> groups;  // the groups the user belongs to (their conversations are visible)
  std::string with_user;         // one direct conversation ("" = all of the user's)
  std::string group_id;          // one group conversation ("" = all); must be one of `groups`
  std::string thread_id;         // only this thread: its root and replies ("" = any)
  std::int64_t after_seq = 0;    // forward paging: seq > after_seq
  std::int64_t before_seq = 0;   // backward paging: seq < before_seq (0 = no bound)
  std::int64_t since_ms = 0;     // created at or after (0 = no bound)
  bool newest_first = false;     // take the newest `limit` (then returned oldest first)
  std::size_t limit = 100;
};

// A device, for cursors.
struct DeviceKey {
  std::string user_id;
  std::string device_id;
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // ---- Writes (asynchronous) ---------------------------------------------
  // Appends `event` (its seq is assigned) unless (sender_user, message_id) is
  // already stored. `done` runs once the event is durable. False when the
  // store cannot take more work now (the caller answers 5002).
  virtual bool append(StoredEvent event, std::function<void(const AppendOutcome&)> done) {
    return append(std::move(event), MessageChange{}, std::move(done));
  }
  // The same, applying `change` to its target in the same commit. A reaction
  // change that changes nothing stores no event (outcome.unchanged).
  virtual bool append(StoredEvent event, MessageChange change, std::function<void(const AppendOutcome&)> done) = 0;
  // Moves a device's cursor forward to `seq` (never back).
  virtual bool advance_cursor(const DeviceKey& device, std::int64_t seq) = 0;
  // Raises the state of the message (sender_user, message_id) to `state`
  // (never lowers it). The first delivery to a client starts an ephemeral
  // message's clock (its expiry becomes `now_ms` + its ttl).
  virtual bool raise_state(const std::string& sender_user, const std::string& message_id, MessageState state,
                           std::int64_t now_ms = 0) = 0;

  // ---- Scheduled and ephemeral messages ------------------------------------
  // Holds `event` until event.deliver_at_ms, unless (sender_user, message_id)
  // is known already (outcome.duplicate). Its seq is assigned at release.
  virtual bool schedule(StoredEvent event, std::function<void(const AppendOutcome&)> done) = 0;
  // Moves a held event into the stream (a fresh seq, so that devices whose
  // cursor passed its scheduling time still get it).
  virtual bool release(const std::string& sender_user, const std::string& message_id,
                       std::function<void(const AppendOutcome&)> done) = 0;
  // Drops a held event that can no longer be delivered.
  virtual bool drop_scheduled(const std::string& sender_user, const std::string& message_id) = 0;
  // Held events due at `now_ms`, earliest first.
  virtual std::vector<StoredEvent> due_scheduled(std::int64_t now_ms, std::size_t limit) = 0;
  // Ephemeral messages whose time ran out at `now_ms` (not deleted yet).
  virtual std::vector<StoredEvent> due_expiries(std::int64_t now_ms, std::size_t limit) = 0;
  // When the next scheduled release or expiry falls (Unix ms), if any.
  virtual std::optional<std::int64_t> next_timer_ms() = 0;

  // ---- Reads (the calling worker's connection) -----------------------------
  // The event (sender_user, message_id), if stored.
  virtual std::optional<StoredEvent> find(const std::string& sender_user, const std::string& message_id) = 0;
  // MESSAGEs with this id whoever sent them (ids are unique per sender only).
  virtual std::vector<StoredEvent> find_messages(const std::string& message_id) = 0;
  // True when `user_id` can see a (not deleted) message referencing the file.
  // (`groups`: the user's groups.)
  virtual bool file_referenced_for(const std::string& user_id, const std::vector<std::string>& groups,
                                   const std::string& file_id) = 0;
  // The message with edits, deletion and reactions applied.
  virtual std::optional<MessageNow> now(std::int64_t seq) = 0;
  // MESSAGEs the query selects, oldest first, at most limit + 1 (the extra
  // one says there is more).
  virtual std::vector<MessageNow> history(const HistoryQuery& query) = 0;
  // The device's cursor; for a device never seen, the furthest cursor of the
  // user's other devices (0 when none), recorded as the device's own so
  // that a new device starts where the user is (docs/messaging.md).
  virtual std::int64_t cursor(const DeviceKey& device) = 0;
  // Events the device has to receive after `after_seq`, in seq order, at most
  // `limit`: addressed to its user, or sent by its user from another device.
  // `groups`: the groups the device's user belongs to. With `urgent_only`,
  // only MESSAGEs of priority urgent (sent first in a backlog).
  virtual std::vector<StoredEvent> pending(const DeviceKey& device, const std::vector<std::string>& groups,
                                           std::int64_t after_seq, std::size_t limit, bool urgent_only = false) = 0;
};

}  // namespace qsip::store
