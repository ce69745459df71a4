// The calls module's handler (docs/calls.md): INVITE, ACCEPT, REJECT, END,
// SESSION, CHANNEL_UPDATE, MEDIA_UPDATE, KEY_EXCHANGE and the ERROR that
// answers a relayed MEDIA_UPDATE. Shared by every worker; the sessions live
// in the SessionRegistry. Each request checks its session and participant
// against the state table (call_state.hpp), changes the session under its
// shard's lock, and only then answers and sends what the change produced.
// Also a SessionObserver: a closing connection leaves its sessions. Nothing
// here logs a payload; KEY_EXCHANGE, CHANNEL_UPDATE and MEDIA_UPDATE are
// relayed, never stored.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "server/calls/call_outbox.hpp"
#include "server/calls/call_timers.hpp"
#include "server/calls/missed_calls.hpp"
#include "server/calls/session_registry.hpp"
#include "server/dispatch/handler.hpp"
#include "server/dispatch/session_observer.hpp"
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

  const SessionRegistry& registry() const { return registry_; }

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
};

}  // namespace qsip::server::calls
