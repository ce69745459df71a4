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

// What the calls module tells about queue calls (set before start()).
// Called with no lock of the calls module held.
struct QueueCallEvents {
  std::function<void(const std::string& item_id, const std::string& agent_id)> answered;
  // The session ended: after the agent answered, or without an answer
  // (agent rejected, timed out, went offline; customer went away).
  std::function<void(const std::string& item_id, const std::string& agent_id, bool answered)> ended;
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
  // with a server INVITE. False (nothing started) when the agent or the
  // customer has no online device or the session id was used.
  void set_queue_call_events(QueueCallEvents events);
  bool start_queue_call(const QueueCall& call);

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
    bool answered = false;
  };
  std::mutex ended_mutex_;
  std::vector<EndedQueueCall> ended_queue_calls_;
};

}  // namespace qsip::server::calls
