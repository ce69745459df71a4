#include "server/serving/queue_call_connector.hpp"

namespace qsip::server {

QueueCallConnector::QueueCallConnector(QueueService& queue, calls::CallService& calls) : queue_(queue), calls_(calls) {
  // The events hold the queue itself, not this adapter: sessions closing
  // while the server shuts down may still report after it is gone.
  QueueService* q = &queue_;
  calls_.set_queue_call_events(calls::QueueCallEvents{
      [q](const std::string& item_id, const std::string&) { q->call_answered(item_id); },
      // Answered (or hung up by the customer before the answer), the item
      // is RESOLVED; not answered by the agent, it waits again in its place
      // for the next agent (docs/call-centre.md "Requeue"). The agent is
      // free for the next item either way.
      [q](const std::string& item_id, const std::string& agent_id, calls::QueueCallOutcome outcome) {
        if (outcome == calls::QueueCallOutcome::kNotAnswered)
          q->call_not_answered(item_id);
        else
          q->call_ended(item_id);
        q->set_agent_in_call(agent_id, false);
      },
      [q](const std::string& user_id) { return q->is_supervisor(user_id); }});
  // An agent in any call, a direct one too, is offered no items.
  calls_.set_in_call_listener([q](const std::string& user_id, bool in_call) { q->set_user_in_session(user_id, in_call); });
  queue_.set_call_connector(this);
}

QueueCallConnector::~QueueCallConnector() { queue_.set_call_connector(nullptr); }

void QueueCallConnector::connect(const QueueItem& item, const std::string& agent_id, const std::string& session_id) {
  // In a call before the INVITE goes out: an answer may come at once.
  queue_.set_agent_in_call(agent_id, true);
  using Start = calls::CallService::QueueCallStart;
  switch (calls_.start_queue_call(calls::QueueCall{session_id, item.item_id, item.customer_id, agent_id})) {
    case Start::kStarted: return;
    case Start::kCustomerOffline:
      // Nobody to call (a customer not connected, e.g. an item enqueued on
      // its behalf): the item stays ASSIGNED to the agent, who handles it
      // otherwise (a call back) and finishes it with dequeue. Offering it
      // to the next agent would only go round.
      break;
    case Start::kNotStarted:
      // The agent has no device online (or the id was used): the item
      // waits again for the next agent, under a fresh session id next time.
      queue_.call_not_answered(item.item_id);
      break;
  }
  queue_.set_agent_in_call(agent_id, false);
}

}  // namespace qsip::server
