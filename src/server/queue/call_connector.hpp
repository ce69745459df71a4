// Where the queue meets calls (A.3 steps 6-8). The queue module tells the
// customer SESSION `agent_connecting` itself when an agent accepts; a
// CallConnector, when one is plugged in (QueueService::set_call_connector),
// then puts agent and customer in a call: the calls module implements it
// by sending the agent an INVITE to the customer (step 7) in the session
// agent_connecting named. The calls module reports back through
// QueueService::call_answered / call_ended / set_agent_in_call.
#pragma once

#include <string>

#include "server/queue/queue_types.hpp"

namespace qsip::server {

class CallConnector {
 public:
  virtual ~CallConnector() = default;
  // Called with the service's lock released; `item` is a copy.
  virtual void connect(const QueueItem& item, const std::string& agent_id, const std::string& session_id) = 0;
};

}  // namespace qsip::server
