// Missed-call notices (docs/calls.md "Missed calls"): when a call to a user
// times out or finds no device of it online, the server stores a MESSAGE
// from the server to the callee in the message stream, so every device of
// the callee gets it now or at its next REGISTER, like any message:
//   {"message_type": "text", "content": "Missed call from u-alice",
//    "missed_call": {"session_id", "caller_user_id", "media_types",
//                    "reason": "timeout" | "unavailable", "group_id"?}}
// Called from worker threads and the calls timer thread: one lock around
// its own store handle.
#pragma once

#include <mutex>
#include <string>

#include "server/calls/call_outbox.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/messaging/message_delivery.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/sqlite/sqlite_message_store.hpp"

namespace qsip::server {
class DeviceDirectory;
class ConnectionMailer;
}  // namespace qsip::server

namespace qsip::server::calls {

class MissedCalls {
 public:
  MissedCalls(const std::string& database_path, store::GroupCommitWriter& writer, MessageDelivery& delivery,
              ServerIdentity identity);
  void start(DeviceDirectory& directory, ConnectionMailer& mailer);
  void record(const MissedCall& call);

 private:
  std::mutex mutex_;
  store::SqliteDatabase reader_;
  store::SqliteMessageStore store_;
  MessageDelivery& delivery_;
  ServerIdentity identity_;
  DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
};

}  // namespace qsip::server::calls
