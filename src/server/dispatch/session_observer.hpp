// Modules that keep per-device state (presence, calls, queues) learn here
// when a device registers and when its connection goes away, so that
// "offline" is inferred on disconnect and state follows the device.
// Called on the worker thread that owns the session.
#pragma once

namespace qsip::server {

class ClientSession;

class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  // REGISTER succeeded (first time on this connection); the RECEIPT is sent.
  virtual void on_registered(ClientSession& /*session*/) {}
  // The registered session's connection is closing; it is still in the
  // device directory during the call.
  virtual void on_unregistered(ClientSession& /*session*/) {}
};

}  // namespace qsip::server
