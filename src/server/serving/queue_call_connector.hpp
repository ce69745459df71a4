// Where the queue meets calls (docs/call-centre.md, A.3 steps 6-8): the
// CallConnector the queue calls when an agent accepts an item starts a
// queue call in the calls module, and what the calls module reports about
// it goes back to the queue. Lives in serving so that neither module
// depends on the other.
#pragma once

#include <string>

#include "server/calls/call_service.hpp"
#include "server/queue/call_connector.hpp"
#include "server/queue/queue_service.hpp"

namespace qsip::server {

class QueueCallConnector final : public CallConnector {
 public:
  // Plugs itself into both services; both must outlive it.
  QueueCallConnector(QueueService& queue, calls::CallService& calls);
  ~QueueCallConnector() override;
  QueueCallConnector(const QueueCallConnector&) = delete;
  QueueCallConnector& operator=(const QueueCallConnector&) = delete;

  // The agent's devices ring (the agent is in a call from now: offered no
  // more items). Without a call (agent or customer offline) the item waits
  // again (PENDING) for the next agent.
  void connect(const QueueItem& item, const std::string& agent_id, const std::string& session_id) override;

 private:
  QueueService& queue_;
  calls::CallService& calls_;
};

}  // namespace qsip::server
