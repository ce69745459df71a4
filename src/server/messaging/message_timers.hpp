// The clock of the message stream (docs/messaging.md): releases MESSAGEs held
// for their `schedule_time`, and deletes ephemeral messages whose
// `ephemeral_ttl` ran out after their first delivery, telling every device
// with a MESSAGE_ACTION delete from the server. Both are kept in the store,
// so they survive restarts: at start the thread reads what is due.
// One DeadlineThread, with its own read connection; writes go through the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "server/dispatch/deadline_thread.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/messaging/direct_message_rules.hpp"
#include "server/messaging/message_delivery.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_message_store.hpp"

namespace qsip::server {

class DeviceDirectory;
class ConnectionMailer;

class MessageTimers {
 public:
  MessageTimers(const std::string& database_path, store::GroupCommitWriter& writer, MessageDelivery& delivery,
                ServerIdentity identity, DirectMessageRules rules);
  ~MessageTimers();  // stops the thread
  MessageTimers(const MessageTimers&) = delete;
  MessageTimers& operator=(const MessageTimers&) = delete;

  // Starts the thread; it reaches devices through `directory` and `mailer`.
  void start(DeviceDirectory& directory, ConnectionMailer& mailer);
  // Something is due at `at_ms` (Unix ms): look again then, if earlier than planned.
  void wake(std::int64_t at_ms) { thread_.wake_at(at_ms); }
  // Stops the thread (before the mailer goes).
  void stop() { thread_.stop(); }

 private:
  // Releases and expires what is due; returns when to look next (Unix ms).
  std::int64_t run_due();
  void release(const store::StoredEvent& held);
  void expire(const store::StoredEvent& message);
  // The connection of `user`'s device `device_id`, if online (0 when not).
  std::uint64_t connection_of(const std::string& user, const std::string& device_id) const;

  store::SqliteDatabase reader_;
  store::GroupCommitWriter& writer_;
  store::SqliteMessageStore store_;
  MessageDelivery& delivery_;
  ServerIdentity identity_;
  DirectMessageRules rules_;
  DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
  DeadlineThread thread_;
};

}  // namespace qsip::server
