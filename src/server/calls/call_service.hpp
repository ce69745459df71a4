// The calls module's handler (docs/calls.md): INVITE, ACCEPT, REJECT, END,
// SESSION, CHANNEL_UPDATE, MEDIA_UPDATE, KEY_EXCHANGE and the ERROR that
// answers a relayed MEDIA_UPDATE. Shared by every worker; the sessions live
// in the SessionRegistry. Each request checks its session and participant
// against the state table (call_state.hpp), changes the session under its
// shard's lock, and only then answers and sends what the change produced.
// Also a SessionObserver: a closing connection leaves its sessions. Nothing
// here logs a payload; KEY_EXCHANGE, CHANNEL_UPDATE and MEDIA_UPDATE are
// relayed, never stored. It also starts the calls of the call-centre queue
// (start_queue_call, A.3 steps 6-8) and reports their answer and end.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/calls/call_outbox.hpp"
#include "server/calls/call_timers.hpp"
#include "server/calls/missed_calls.hpp"
#include "server/calls/session_registry.hpp"
#include "server/dispatch/handler.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/media/session_routes.hpp"
#include "server/messaging/direct_message_rules.hpp"

namespace qsip::server {
class DeviceDirectory;
class ConnectionMailer;
}  // namespace qsip::server

namespace qsip::server::calls {

struct CallSettings {
  std::chrono::milliseconds invite_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds ringing_timeout{std::chrono::seconds(45)};
  DirectMessageRules rules;
};

// A call the server starts between a waiting customer and the agent who
// accepted the customer's queue item (docs/call-centre.md, A.3 steps 6-8).
struct QueueCall {
  std::string session_id;  // "s-<item_id>", as SESSION agent_connecting named it
  std::string item_id;
  std::string customer_id;
  std::string agent_id;
};

// How a queue call ended.
enum class QueueCallOutcome {
  kAnswered,        // the agent answered; then either side (or a timer, a lost connection) ended it
  kCustomerHungUp,  // the customer ENDed before the agent answered
  kNotAnswered,     // the agent rejected, did not answer in time, went away; or the customer's connection was lost
};

// What the calls module tells about queue calls (set before start()).
// Called with no lock of the calls module held.
struct QueueCallEvents {
  std::function<void(const std::string& item_id, const std::string& agent_id)> answered;
  std::function<void(const std::string& item_id, const std::string& agent_id, QueueCallOutcome outcome)> ended;
  // Who may supervise queue calls (SESSION listen / whisper / barge).
  std::function<bool(const std::string& user_id)> is_supervisor;
};

class CallService final : public Handler, public SessionObserver {
 public:
  // `missed` may be null (no durable notices: unit tests).
  CallService(CallSettings settings, ServerIdentity timer_identity, MissedCalls* missed);
  ~CallService() override;

  // Starts the timer thread; messages reach devices through `directory` and `mailer`.
  void start(DeviceDirectory& directory, ConnectionMailer& mailer);
  void stop();

  void handle(Request& request) override;
  void on_unregistered(ClientSession& session) override;

  // Queue calls: the customer is the caller (INVITING on its first online
  // device, audio opus/48000/2 offered), the agent's online devices ring
  // with a server INVITE. Anything but kStarted: nothing was started.
  enum class QueueCallStart { kStarted, kCustomerOffline, kNotStarted };
  void set_queue_call_events(QueueCallEvents events);
  QueueCallStart start_queue_call(const QueueCall& call);
  // Hears when a user enters its first call or leaves its last one
  // (users_in_calls.hpp). Set before start().
  void set_in_call_listener(UsersInCalls::Listener listener);

  const SessionRegistry& registry() const { return registry_; }

  // Where every session's media routes go after each change (the media
  // relay, docs/calls.md "Media relay"); set before start().
  void set_route_publisher(media::RoutePublisher* publisher) { route_publisher_ = publisher; }

 private:
  struct Reply;
  void invite(Request& r, Reply& reply, Outbox& out);
  void accept(Request& r, Reply& reply, Outbox& out);
  void reject(Request& r, Reply& reply, Outbox& out);
  void end(Request& r, Reply& reply, Outbox& out);
  void session_action(Request& r, Reply& reply, Outbox& out);
  // SESSION listen / whisper / barge (supervision.cpp).
  void supervise(Request& r, Reply& reply, Outbox& out);
  void relay(Request& r, Reply& reply, Outbox& out);
  void relay_error(Request& r, Outbox& out);
  // The timer thread: the session's deadlines may have passed.
  void expire(const std::string& session_id);
  void carry_out(Outbox& out);

  CallSettings settings_;
  SessionRegistry registry_;
  std::mutex timer_identity_mutex_;
  ServerIdentity timer_identity_;  // for what the timer thread originates
  MissedCalls* missed_;
  CallTimers timers_;
  DeviceDirectory* directory_ = nullptr;
  ConnectionMailer* mailer_ = nullptr;
  QueueCallEvents queue_events_;
  media::RoutePublisher* route_publisher_ = nullptr;
  // Queue calls that ended (recorded by the registry's on_end), told in carry_out.
  struct EndedQueueCall {
    std::string item_id, agent_id;
    QueueCallOutcome outcome = QueueCallOutcome::kNotAnswered;
  };
  std::mutex ended_mutex_;
  std::vector<EndedQueueCall> ended_queue_calls_;
};

}  // namespace qsip::server::calls
