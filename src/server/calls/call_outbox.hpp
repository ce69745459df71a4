// What a change to a session produces, collected under the registry lock and
// carried out after it is released: frames for connections, missed-call
// notices to store, timers to arm. Nothing is sent while a lock is held.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/calls/call_session.hpp"
#include "server/dispatch/outbound.hpp"

namespace qsip::server::calls {

struct MissedCall {
  std::string callee;
  std::string caller;
  std::string session_id;
  std::string group_id;
  std::vector<std::string> media_types;
  std::string reason;  // "timeout" or "unavailable"
};

struct Outbox {
  struct Send {
    std::uint64_t connection_id;
    FrameBytes frame;
  };
  std::vector<Send> sends;
  std::vector<MissedCall> missed;
  std::vector<std::pair<Clock::time_point, std::string>> timers;  // look at the session again then
  std::vector<std::pair<std::uint64_t, std::string>> indexed;  // connection -> session to index
  std::vector<std::pair<std::string, std::string>> answered_queue_calls;  // item id, agent id

  void send(std::uint64_t connection_id, const FrameBytes& frame) {
    if (connection_id != 0) sends.push_back({connection_id, frame});
  }
};

}  // namespace qsip::server::calls
