#include "server/queue/queue_engine.hpp"

#include <algorithm>

namespace qsip::server {

namespace {
constexpr std::size_t kRecentOutcomes = 100;  // for the service level
constexpr std::size_t kRecentHandles = 20;    // for the wait estimate
}  // namespace

std::optional<std::uint64_t> QueueEngine::mask_of(const std::vector<std::string>& skills) {
  std::uint64_t mask = 0;
  for (const auto& skill : skills) {
    auto found = skill_bits_.find(skill);
    if (found == skill_bits_.end()) {
      if (skill_bits_.size() >= kMaxSkills) return std::nullopt;
      found = skill_bits_.emplace(skill, std::uint64_t{1} << skill_bits_.size()).first;
    }
    mask |= found->second;
  }
  return mask;
}

bool QueueEngine::set_queue(QueueSettings settings) {
  auto need = mask_of(settings.required_skills);
  if (!need) return false;
  auto& queue = queues_[settings.queue_id];
  // Items already waiting keep the skills they were routed with.
  queue.settings = std::move(settings);
  queue.need = *need;
  return true;
}

bool QueueEngine::remove_queue(const std::string& queue_id) {
  auto found = queues_.find(queue_id);
  if (found == queues_.end() || !found->second.waiting.empty()) return false;
  queues_.erase(found);
  return true;
}

bool QueueEngine::set_agent(AgentSettings settings, std::int64_t now_ms) {
  auto skills = mask_of(settings.skills);
  if (!skills) return false;
  auto [it, inserted] = agents_.try_emplace(settings.user_id);
  auto& agent = it->second;
  if (inserted) agent.idle_since_ms = now_ms;
  agent.settings = std::move(settings);
  agent.skills = *skills;
  refresh_availability(agent);
  return true;
}

std::vector<std::string> QueueEngine::remove_agent(const std::string& user_id) {
  std::vector<std::string> returned;
  auto found = agents_.find(user_id);
  if (found == agents_.end()) return returned;
  for (auto& [id, entry] : items_) {
    if (entry.item.state != ItemState::kOffered || entry.item.agent_id != user_id) continue;
    offers_.erase({entry.item.offered_at_ms, id});
    entry.item.state = ItemState::kPending;
    entry.item.agent_id.clear();
    add_pending(entry);
    changed(id);
    returned.push_back(id);
  }
  available_.erase({found->second.idle_since_ms, user_id});
  agents_.erase(found);
  return returned;
}

const QueueSettings* QueueEngine::queue(const std::string& queue_id) const {
  auto found = queues_.find(queue_id);
  return found == queues_.end() ? nullptr : &found->second.settings;
}

const AgentSettings* QueueEngine::agent(const std::string& user_id) const {
  auto found = agents_.find(user_id);
  return found == agents_.end() ? nullptr : &found->second.settings;
}

std::vector<std::string> QueueEngine::queue_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, queue] : queues_) ids.push_back(id);
  return ids;
}

bool QueueEngine::available(const AgentState& a) const {
  return a.present && !a.in_call && !a.in_session && a.load < a.settings.capacity;
}

void QueueEngine::refresh_availability(AgentState& agent) {
  const bool now_available = available(agent);
  if (now_available == agent.listed) return;
  if (now_available)
    available_.insert({agent.idle_since_ms, agent.settings.user_id});
  else
    available_.erase({agent.idle_since_ms, agent.settings.user_id});
  agent.listed = now_available;
}

void QueueEngine::unlist(AgentState& agent) {
  if (agent.listed) available_.erase({agent.idle_since_ms, agent.settings.user_id});
  agent.listed = false;
}

void QueueEngine::set_agent_present(const std::string& user_id, bool present, std::int64_t now_ms) {
  auto found = agents_.find(user_id);
  if (found == agents_.end() || found->second.present == present) return;
  auto& agent = found->second;
  if (present && agent.load == 0) {  // idle from the moment it became available
    unlist(agent);
    agent.idle_since_ms = now_ms;
  }
  agent.present = present;
  refresh_availability(agent);
}

void QueueEngine::set_agent_in_call(const std::string& user_id, bool in_call, std::int64_t now_ms) {
  auto found = agents_.find(user_id);
  if (found == agents_.end() || found->second.in_call == in_call) return;
  auto& agent = found->second;
  unlist(agent);
  if (!in_call) agent.idle_since_ms = now_ms;
  agent.in_call = in_call;
  refresh_availability(agent);
}

void QueueEngine::set_agent_in_session(const std::string& user_id, bool in_session, std::int64_t now_ms) {
  auto found = agents_.find(user_id);
  if (found == agents_.end() || found->second.in_session == in_session) return;
  auto& agent = found->second;
  unlist(agent);
  if (!in_session) agent.idle_since_ms = now_ms;  // idle from the call's end
  agent.in_session = in_session;
  refresh_availability(agent);
}

bool QueueEngine::agent_available(const std::string& user_id) const {
  auto found = agents_.find(user_id);
  return found != agents_.end() && available(found->second);
}

void QueueEngine::add_pending(Entry& entry) {
  pending_[entry.need].insert({{entry.item.priority, entry.item.sequence}, entry.item.item_id});
}

void QueueEngine::remove_pending(const Entry& entry) {
  auto group = pending_.find(entry.need);
  if (group == pending_.end()) return;
  group->second.erase({{entry.item.priority, entry.item.sequence}, entry.item.item_id});
  if (group->second.empty()) pending_.erase(group);
}

EnqueueError QueueEngine::enqueue(QueueItem item) {
  auto queue = queues_.find(item.queue_id);
  if (queue == queues_.end()) return EnqueueError::kNoQueue;
  if (items_.count(item.item_id)) return EnqueueError::kDuplicate;
  if (queue->second.waiting.size() >= queue->second.settings.max_size) return EnqueueError::kQueueFull;
  auto own = mask_of(item.required_skills);
  if (!own) return EnqueueError::kTooManySkills;
  item.sequence = next_sequence_++;
  item.state = ItemState::kPending;
  item.agent_id.clear();
  auto& entry = items_[item.item_id];
  entry.need = queue->second.need | *own;
  entry.item = std::move(item);
  queue->second.waiting.insert({{entry.item.priority, entry.item.sequence}, entry.item.item_id});
  ++waiting_total_;
  add_pending(entry);
  changed(entry.item.item_id);
  return EnqueueError::kNone;
}

void QueueEngine::restore(QueueItem item) {
  if (is_final(item.state) || items_.count(item.item_id)) return;
  next_sequence_ = std::max(next_sequence_, item.sequence + 1);
  auto queue = queues_.find(item.queue_id);
  if (queue == queues_.end()) {  // a queue no longer configured: keep the item and its place
    QueueSettings settings;
    settings.queue_id = item.queue_id;
    set_queue(settings);
    queue = queues_.find(item.queue_id);
  }
  auto own = mask_of(item.required_skills).value_or(0);
  auto& entry = items_[item.item_id];
  entry.need = queue->second.need | own;
  if (item.state == ItemState::kOffered) {
    item.state = ItemState::kPending;
    item.agent_id.clear();
    changed(item.item_id);
  }
  entry.item = std::move(item);
  if (is_waiting(entry.item.state)) {
    queue->second.waiting.insert({{entry.item.priority, entry.item.sequence}, entry.item.item_id});
    ++waiting_total_;
    add_pending(entry);
  } else {
    hold_agent(entry.item.agent_id);
  }
}

const QueueItem* QueueEngine::item(const std::string& item_id) const {
  auto found = items_.find(item_id);
  return found == items_.end() ? nullptr : &found->second.item;
}

std::vector<std::string> QueueEngine::items_of_customer(const std::string& customer_id) const {
  std::vector<std::string> ids;
  for (const auto& [id, entry] : items_)
    if (entry.item.customer_id == customer_id) ids.push_back(id);
  return ids;
}

void QueueEngine::hold_agent(const std::string& agent_id) {
  auto found = agents_.find(agent_id);
  if (found == agents_.end()) return;
  ++found->second.load;
  refresh_availability(found->second);
}

void QueueEngine::release_agent(const std::string& agent_id, std::int64_t now_ms) {
  auto found = agents_.find(agent_id);
  if (found == agents_.end()) return;
  auto& agent = found->second;
  if (agent.load > 0) --agent.load;
  if (agent.load == 0) {  // idle again from now: the longest idle are served first
    unlist(agent);
    agent.idle_since_ms = now_ms;
  }
  refresh_availability(agent);
}

// Out of the queue's order (accepted or abandoned); a pending item out of
// its routing group too.
void QueueEngine::leave_waiting(Entry& entry) {
  if (entry.item.state == ItemState::kPending) remove_pending(entry);
  if (entry.item.state == ItemState::kOffered) offers_.erase({entry.item.offered_at_ms, entry.item.item_id});
  auto queue = queues_.find(entry.item.queue_id);
  if (queue != queues_.end() &&
      queue->second.waiting.erase({{entry.item.priority, entry.item.sequence}, entry.item.item_id}))
    --waiting_total_;
}

// An item leaves the queue once in the statistics: a requeued item (its
// call not answered) counts at its first accept only.
void QueueEngine::record_outcome(QueueState& queue, Entry& entry, bool answered, std::int64_t now_ms) {
  if (entry.outcome_recorded) return;
  entry.outcome_recorded = true;
  const auto waited_ms = now_ms - entry.item.enqueued_at_ms;
  queue.answered_in_target.push_back(answered &&
                                     waited_ms <= std::int64_t{queue.settings.service_level_seconds} * 1000);
  if (queue.answered_in_target.size() > kRecentOutcomes) queue.answered_in_target.pop_front();
  ++(answered ? queue.handled : queue.abandoned);
}

bool QueueEngine::abandon(const std::string& item_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  if (found == items_.end() || !is_waiting(found->second.item.state)) return false;
  auto& entry = found->second;
  leave_waiting(entry);
  if (entry.item.state == ItemState::kOffered) release_agent(entry.item.agent_id, now_ms);
  if (auto queue = queues_.find(entry.item.queue_id); queue != queues_.end())
    record_outcome(queue->second, entry, false, now_ms);
  entry.item.state = ItemState::kAbandoned;
  entry.item.ended_at_ms = now_ms;
  changed(item_id);
  return true;
}

bool QueueEngine::resolve(const std::string& item_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  if (found == items_.end()) return false;
  auto& item = found->second.item;
  if (item.state != ItemState::kAssigned && item.state != ItemState::kActive) return false;
  if (auto queue = queues_.find(item.queue_id); queue != queues_.end()) {
    queue->second.handle_seconds.push_back(std::max<std::int64_t>(0, (now_ms - item.assigned_at_ms) / 1000));
    if (queue->second.handle_seconds.size() > kRecentHandles) queue->second.handle_seconds.pop_front();
  }
  release_agent(item.agent_id, now_ms);
  item.state = ItemState::kResolved;
  item.ended_at_ms = now_ms;
  changed(item_id);
  return true;
}

bool QueueEngine::accept(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  if (found == items_.end()) return false;
  auto& entry = found->second;
  if (entry.item.state != ItemState::kOffered || entry.item.agent_id != agent_id) return false;
  leave_waiting(entry);
  if (auto queue = queues_.find(entry.item.queue_id); queue != queues_.end())
    record_outcome(queue->second, entry, true, now_ms);
  entry.item.state = ItemState::kAssigned;
  entry.item.assigned_at_ms = now_ms;
  changed(item_id);
  return true;
}

bool QueueEngine::reject(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  if (found == items_.end()) return false;
  auto& entry = found->second;
  if (entry.item.state != ItemState::kOffered || entry.item.agent_id != agent_id) return false;
  offers_.erase({entry.item.offered_at_ms, item_id});
  give_back(entry, agent_id);
  (void)now_ms;
  changed(item_id);
  return true;
}

// The agent declined the item (an offer rejected or timed out, a call not
// answered): it is pending again, offered to this agent only after every
// other able one. The item held the agent; giving it back is not finishing
// work, so the agent keeps its place in the idle order.
void QueueEngine::give_back(Entry& entry, const std::string& agent_id) {
  if (std::find(entry.declined.begin(), entry.declined.end(), agent_id) == entry.declined.end())
    entry.declined.push_back(agent_id);
  entry.item.state = ItemState::kPending;
  entry.item.agent_id.clear();
  add_pending(entry);
  auto agent = agents_.find(agent_id);
  if (agent != agents_.end()) {
    if (agent->second.load > 0) --agent->second.load;
    refresh_availability(agent->second);
  }
}

bool QueueEngine::mark_active(const std::string& item_id) {
  auto found = items_.find(item_id);
  if (found == items_.end() || found->second.item.state != ItemState::kAssigned) return false;
  found->second.item.state = ItemState::kActive;
  changed(item_id);
  return true;
}

bool QueueEngine::requeue(const std::string& item_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  if (found == items_.end() || found->second.item.state != ItemState::kAssigned) return false;
  auto& entry = found->second;
  const std::string agent_id = entry.item.agent_id;
  entry.item.assigned_at_ms = 0;
  auto queue = queues_.find(entry.item.queue_id);
  // Its sequence and priority are unchanged: it takes back its place.
  if (queue != queues_.end() &&
      queue->second.waiting.insert({{entry.item.priority, entry.item.sequence}, item_id}).second)
    ++waiting_total_;
  give_back(entry, agent_id);  // an unanswered call, as after agent_reject
  entry.told_position = 0;  // a waiting customer again: its place is told afresh
  (void)now_ms;
  changed(item_id);
  return true;
}

bool QueueEngine::count_call_attempt(const std::string& item_id) {
  auto found = items_.find(item_id);
  if (found == items_.end()) return false;
  ++found->second.item.call_attempts;
  changed(item_id);
  return true;
}

bool QueueEngine::assign(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms) {
  auto found = items_.find(item_id);
  auto agent = agents_.find(agent_id);
  if (found == items_.end() || agent == agents_.end()) return false;
  auto& entry = found->second;
  if (!is_waiting(entry.item.state) || agent->second.load >= agent->second.settings.capacity) return false;
  if (entry.item.state == ItemState::kOffered) {
    if (entry.item.agent_id == agent_id) return true;
    offers_.erase({entry.item.offered_at_ms, item_id});
    auto previous = agents_.find(entry.item.agent_id);
    if (previous != agents_.end()) {
      if (previous->second.load > 0) --previous->second.load;
      refresh_availability(previous->second);
    }
  } else {
    remove_pending(entry);
  }
  entry.item.state = ItemState::kOffered;
  entry.item.agent_id = agent_id;
  entry.item.offered_at_ms = now_ms;
  offers_.insert({now_ms, item_id});
  hold_agent(agent_id);
  changed(item_id);
  return true;
}

bool QueueEngine::set_priority(const std::string& item_id, std::int64_t priority, std::string label) {
  auto found = items_.find(item_id);
  if (found == items_.end() || !is_waiting(found->second.item.state)) return false;
  auto& entry = found->second;
  auto queue = queues_.find(entry.item.queue_id);
  const bool pending = entry.item.state == ItemState::kPending;
  if (pending) remove_pending(entry);
  if (queue != queues_.end()) queue->second.waiting.erase({{entry.item.priority, entry.item.sequence}, item_id});
  entry.item.priority = priority;
  entry.item.priority_label = std::move(label);
  if (queue != queues_.end()) queue->second.waiting.insert({{entry.item.priority, entry.item.sequence}, item_id});
  if (pending) add_pending(entry);
  changed(item_id);
  return true;
}

const QueueEngine::AgentState* QueueEngine::best_agent(const Entry& entry) const {
  for (const auto& [idle_since, user_id] : available_) {
    const auto& agent = agents_.at(user_id);
    if ((agent.skills & entry.need) != entry.need) continue;
    if (!entry.declined.empty() &&
        std::find(entry.declined.begin(), entry.declined.end(), user_id) != entry.declined.end())
      continue;
    return &agent;
  }
  return nullptr;
}

// Every agent able to take the item has declined it: it starts over.
bool QueueEngine::everyone_declined(const Entry& entry) const {
  for (const auto& [user_id, agent] : agents_) {
    if ((agent.skills & entry.need) != entry.need) continue;
    if (std::find(entry.declined.begin(), entry.declined.end(), user_id) == entry.declined.end()) return false;
  }
  return true;
}

std::optional<Offer> QueueEngine::route_one(std::int64_t now_ms) {
  if (available_.empty()) return std::nullopt;
  // Among the groups' heads that some available agent can take, the first
  // in serving order wins.
  const std::pair<WaitKey, std::string>* best = nullptr;
  const AgentState* best_agent_state = nullptr;
  for (auto& [need, group] : pending_) {
    for (auto it = group.begin(); it != group.end(); ++it) {
      if (best && !(it->first < best->first)) break;  // nothing later in this group can win
      auto& entry = items_.at(it->second);
      const AgentState* agent = best_agent(entry);
      if (!agent && !entry.declined.empty() && everyone_declined(entry)) {
        entry.declined.clear();
        agent = best_agent(entry);
      }
      if (agent) {
        best = &*it;
        best_agent_state = agent;
        break;
      }
      // Only an item with declines can be passed over by its group's next.
      if (entry.declined.empty()) break;
    }
  }
  if (!best) return std::nullopt;
  Offer offer{best->second, best_agent_state->settings.user_id};
  auto& entry = items_.at(offer.item_id);
  remove_pending(entry);
  entry.item.state = ItemState::kOffered;
  entry.item.agent_id = offer.agent_id;
  entry.item.offered_at_ms = now_ms;
  offers_.insert({now_ms, offer.item_id});
  hold_agent(offer.agent_id);
  changed(offer.item_id);
  return offer;
}

std::vector<Offer> QueueEngine::route(std::int64_t now_ms) {
  std::vector<Offer> offers;
  while (auto offer = route_one(now_ms)) offers.push_back(std::move(*offer));
  return offers;
}

std::vector<Offer> QueueEngine::expire_offers(std::int64_t now_ms, std::int64_t timeout_ms) {
  std::vector<Offer> expired;
  while (!offers_.empty() && offers_.begin()->first + timeout_ms <= now_ms) {
    const std::string item_id = offers_.begin()->second;
    offers_.erase(offers_.begin());  // first: the loop ends whatever reject() finds
    auto found = items_.find(item_id);
    if (found == items_.end()) continue;
    Offer offer{item_id, found->second.item.agent_id};
    if (reject(item_id, offer.agent_id, now_ms)) expired.push_back(std::move(offer));
  }
  return expired;
}

std::int64_t QueueEngine::next_offer_expiry(std::int64_t timeout_ms) const {
  return offers_.empty() ? 0 : offers_.begin()->first + timeout_ms;
}

std::size_t QueueEngine::position(const std::string& item_id) const {
  auto found = items_.find(item_id);
  if (found == items_.end() || !is_waiting(found->second.item.state)) return 0;
  const auto& item = found->second.item;
  auto queue = queues_.find(item.queue_id);
  if (queue == queues_.end()) return 0;
  const auto& waiting = queue->second.waiting;
  auto at = waiting.find({{item.priority, item.sequence}, item_id});
  return at == waiting.end() ? 0 : static_cast<std::size_t>(std::distance(waiting.begin(), at)) + 1;
}

std::vector<PositionChange> QueueEngine::position_changes(const std::string& queue_id) {
  std::vector<PositionChange> changes;
  auto queue = queues_.find(queue_id);
  if (queue == queues_.end()) return changes;
  std::size_t position = 0;
  for (const auto& [key, item_id] : queue->second.waiting) {
    ++position;
    auto& entry = items_.at(item_id);
    if (entry.told_position == position) continue;
    entry.told_position = position;
    changes.push_back({item_id, entry.item.customer_id, position});
  }
  return changes;
}

void QueueEngine::mark_told(const std::string& item_id, std::size_t position) {
  auto found = items_.find(item_id);
  if (found != items_.end()) found->second.told_position = position;
}

std::int64_t QueueEngine::estimated_wait_seconds(const std::string& item_id, std::size_t position) const {
  auto found = items_.find(item_id);
  if (found == items_.end() || position == 0) return 0;
  const std::uint64_t need = found->second.need;
  auto queue = queues_.find(found->second.item.queue_id);
  if (queue == queues_.end()) return 0;
  std::int64_t handle = default_handle_seconds_;
  const auto& recent = queue->second.handle_seconds;
  if (!recent.empty()) {
    std::int64_t sum = 0;
    for (auto seconds : recent) sum += seconds;
    handle = sum / static_cast<std::int64_t>(recent.size());
  }
  // Agents able to serve the queue and present share the work ahead; the
  // first `free` places are served as soon as the offer is taken.
  std::int64_t staffed = 0, free = 0;
  for (const auto& [id, agent] : agents_) {
    if ((agent.skills & need) != need || !agent.present) continue;
    ++staffed;
    if (available(agent)) ++free;
  }
  const auto place = static_cast<std::int64_t>(position);
  if (place <= free) return 0;
  return (place - free) * handle / std::max<std::int64_t>(1, staffed);
}

QueueStats QueueEngine::stats(const std::string& queue_id, std::int64_t now_ms) const {
  QueueStats s;
  s.queue_id = queue_id;
  auto queue = queues_.find(queue_id);
  if (queue == queues_.end()) return s;
  const auto& q = queue->second;
  s.waiting = q.waiting.size();
  for (const auto& [key, item_id] : q.waiting)
    s.longest_wait_seconds = std::max(s.longest_wait_seconds, (now_ms - items_.at(item_id).item.enqueued_at_ms) / 1000);
  for (const auto& [id, agent] : agents_) {
    if ((agent.skills & q.need) != q.need) continue;
    if (agent.present) ++s.agents_present;
    if (available(agent)) ++s.agents_available;
  }
  s.handled = q.handled;
  s.abandoned = q.abandoned;
  if (!q.answered_in_target.empty()) {
    auto in_target = std::count(q.answered_in_target.begin(), q.answered_in_target.end(), true);
    s.service_level_percent = 100.0 * static_cast<double>(in_target) / static_cast<double>(q.answered_in_target.size());
  }
  s.service_level_seconds = q.settings.service_level_seconds;
  s.average_handle_seconds = default_handle_seconds_;
  if (!q.handle_seconds.empty()) {
    std::int64_t sum = 0;
    for (auto seconds : q.handle_seconds) sum += seconds;
    s.average_handle_seconds = sum / static_cast<std::int64_t>(q.handle_seconds.size());
  }
  return s;
}

std::vector<QueueItem> QueueEngine::take_changed() {
  std::vector<QueueItem> out;
  out.reserve(changed_.size());
  for (const auto& id : changed_) {
    auto found = items_.find(id);
    if (found == items_.end()) continue;
    out.push_back(found->second.item);
    if (is_final(found->second.item.state)) items_.erase(found);
  }
  changed_.clear();
  return out;
}

}  // namespace qsip::server
