// The call-centre queues at run time (docs/call-centre.md): the routing
// engine behind one lock, its store, and everything the module sends.
// Workers call it from QUEUE requests (QueueHandler), presence changes
// (PresenceTable's listener) and session ends (SessionObserver); its own
// thread expires offers, abandons items of customers gone past the grace
// period and pushes statistics to subscribed supervisors.
//
// Every change is written (one writer task) before it is answered or told,
// so after a restart of qsipd the items are back as they were told.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/error_registry.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/queue/call_connector.hpp"
#include "server/queue/queue_engine.hpp"
#include "server/queue/queue_request.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

struct CallCentreSettings {
  std::vector<QueueSettings> queues;
  std::vector<AgentSettings> agents;
  std::map<std::string, std::string> agent_display_names;  // user id -> name shown to customers
  std::vector<std::string> supervisors;
  std::vector<std::string> admins;  // [auth] server_admins
  std::int64_t offer_timeout_seconds = 20;
  std::int64_t abandon_grace_seconds = 60;
  std::int64_t stats_interval_seconds = 5;
  std::int64_t default_handle_seconds = 180;
};

// What a QUEUE request is answered with.
struct QueueAnswer {
  std::optional<core::ErrorCode> error;
  std::string detail;
  std::string receipt_status = "ok";  // RECEIPT status, when data_json is empty
  std::string receipt_json;           // RECEIPT extras
  std::string data_json;              // set: answered with a QUEUE carrying this payload
};

class QueueService final : public SessionObserver {
 public:
  // Loads the open items from the store (through `writer`) after the
  // configured queues and agents.
  QueueService(CallCentreSettings settings, store::GroupCommitWriter& writer, ServerIdentity identity);
  ~QueueService() override;  // stops the thread
  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  // Starts the timer thread; sends reach devices through these.
  void start(const DeviceDirectory& directory, ConnectionMailer& mailer);
  void stop();

  // A QUEUE request from `user_id`. A change is answered once it is
  // written: then handle() returns nullopt and `deferred` is called with the
  // answer on the writer's thread after the commit. Refusals and requests
  // that change nothing are answered at once (the returned answer).
  std::optional<QueueAnswer> handle(const QueueRequest& request, const std::string& user_id,
                                    std::string_view message_id, std::int64_t now_ms,
                                    std::function<void(const QueueAnswer&)> deferred);
  // A user's aggregate presence changed.
  void on_presence(const std::string& user_id, const std::string& status);

  // Where a user's aggregate presence status is read, for agents added at
  // run time (the others learn it from on_presence).
  void set_presence_source(std::function<std::string(const std::string&)> presence_of);

  // The calls hook (call_connector.hpp).
  void set_call_connector(CallConnector* connector);
  void call_answered(const std::string& item_id);
  // The call ended after the answer, or the customer hung up first: RESOLVED.
  void call_ended(const std::string& item_id);
  // The agent did not answer (rejected, timed out, went away) or the call
  // could not start: back to PENDING in its place, for the next agent.
  void call_not_answered(const std::string& item_id);
  // The queue's own call, from the agent's INVITE to its end.
  void set_agent_in_call(const std::string& user_id, bool in_call);
  // Any call (calls module): the user is inviting or in a session.
  void set_user_in_session(const std::string& user_id, bool in_session);
  // Configured supervisors and server admins (immutable after construction).
  bool is_supervisor(const std::string& user) const;

  // SessionObserver: customers coming back keep their items; the last
  // device going starts the abandonment grace period.
  void on_registered(ClientSession& session) override;
  void on_unregistered(ClientSession& session) override;

  // For tests: one pass of the timers at `now_ms`.
  void tick(std::int64_t now_ms);

 private:
  bool is_admin(const std::string& user) const;
  // What changes send and write, gathered under the lock.
  struct Dispatch {
    std::vector<QueueItem> items;                                 // to write
    std::vector<std::pair<std::string, FrameBytes>> frames;       // user, message: sent once written
    std::vector<std::pair<QueueItem, std::string>> connects;     // accepted items for the CallConnector
  };
  // Queues a message to every device of `user` (sent by deliver()).
  void send(const std::string& user, std::string_view type, const std::string& payload,
            std::string_view session_id = {});
  // After a change (under lock): route, and gather what changed and the offers.
  void settle(std::int64_t now_ms);
  Dispatch take_dispatch();
  // Under the lock: submits the writes, and delivers in the completion after
  // the commit (then calls `after`; returns true); with nothing to write,
  // delivers at once (returns false, `after` not called).
  bool write_then(Dispatch dispatch, std::function<void(bool ok)> after);
  void deliver(Dispatch& dispatch);
  void tell_positions(const std::string& queue_id, const std::string& skip_item = {});
  void push_stats(const std::string& user, const std::string& queue_id, std::int64_t now_ms,
                  std::string_view target_message_id = {});
  void run();

  QueueAnswer enqueue(const QueueRequest& r, const std::string& user, std::int64_t now_ms);
  QueueAnswer dequeue(const QueueRequest& r, const std::string& user, std::int64_t now_ms);
  QueueAnswer get_status(const QueueRequest& r, const std::string& user, std::string_view message_id);
  QueueAnswer agent_answer(const QueueRequest& r, const std::string& user, std::int64_t now_ms);
  QueueAnswer assign_agent(const QueueRequest& r, std::int64_t now_ms);
  QueueAnswer update_priority(const QueueRequest& r);
  QueueAnswer stats_action(const QueueRequest& r, const std::string& user, std::string_view message_id,
                           std::int64_t now_ms);
  QueueAnswer configure(const QueueRequest& r, std::int64_t now_ms);

  CallCentreSettings settings_;
  store::GroupCommitWriter& writer_;
  ServerIdentity identity_;  // used under mutex_ only
  const DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
  std::atomic<CallConnector*> connector_{nullptr};
  std::function<std::string(const std::string&)> presence_of_;

  std::mutex mutex_;
  QueueEngine engine_;
  std::set<std::string> touched_queues_;  // whose positions may have moved: told at the next tick
  std::vector<std::pair<QueueItem, std::string>> to_connect_;  // accepted, not yet handed to the connector
  std::vector<std::pair<QueueItem, std::string>> connects_held_;  // written in line: connected by run()
  std::vector<QueueItem> unwritten_;                             // changed, not yet submitted
  std::vector<std::pair<std::string, FrameBytes>> outbox_;       // not yet handed to deliver()
  std::map<std::string, std::int64_t> gone_since_;                  // customer -> last device left at
  std::map<std::string, std::set<std::string>> stats_subscribers_;  // user -> queue ids
  std::int64_t next_stats_ms_ = 0;

  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
