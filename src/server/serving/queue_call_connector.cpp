#include "server/serving/queue_call_connector.hpp"

namespace qsip::server {

QueueCallConnector::QueueCallConnector(QueueService& queue, calls::CallService& calls) : queue_(queue), calls_(calls) {
  // The events hold the queue itself, not this adapter: sessions closing
  // while the server shuts down may still report after it is gone.
  QueueService* q = &queue_;
  calls_.set_queue_call_events(calls::QueueCallEvents{
      [q](const std::string& item_id, const std::string&) { q->call_answered(item_id); },
      // Answered or not, the call is over: the item is RESOLVED and the
      // agent free for the next one (docs/call-centre.md says why an
      // unanswered call does not requeue the item).
      [q](const std::string& item_id, const std::string& agent_id, bool) {
        q->call_ended(item_id);
        q->set_agent_in_call(agent_id, false);
      }});
  queue_.set_call_connector(this);
}

QueueCallConnector::~QueueCallConnector() { queue_.set_call_connector(nullptr); }

void QueueCallConnector::connect(const QueueItem& item, const std::string& agent_id, const std::string& session_id) {
  // In a call before the INVITE goes out: an answer may come at once.
  queue_.set_agent_in_call(agent_id, true);
  if (calls_.start_queue_call(calls::QueueCall{session_id, item.item_id, item.customer_id, agent_id})) return;
  queue_.call_ended(item.item_id);
  queue_.set_agent_in_call(agent_id, false);
}

}  // namespace qsip::server
