#include "server/queue/queue_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/queue/queue_payloads.hpp"
#include "server/queue/queue_store.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

constexpr std::size_t kMaxOpenItemsPerCustomer = 8;
constexpr std::size_t kMaxStatsSubscriptions = 64;  // queues per supervisor
constexpr auto kTickInterval = std::chrono::milliseconds(200);

QueueAnswer refuse(ErrorCode code, std::string detail) {
  QueueAnswer a;
  a.error = code;
  a.detail = std::move(detail);
  return a;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

QueueService::QueueService(CallCentreSettings settings, store::GroupCommitWriter& writer, ServerIdentity identity)
    : settings_(std::move(settings)),
      writer_(writer),
      identity_(std::move(identity)),
      engine_(settings_.default_handle_seconds) {
  const auto now = unix_now_ms();
  for (const auto& queue : settings_.queues)
    if (!engine_.set_queue(queue)) throw std::runtime_error("call_centre: more than 64 distinct skills");
  for (const auto& agent : settings_.agents)
    if (!engine_.set_agent(agent, now)) throw std::runtime_error("call_centre: more than 64 distinct skills");
  std::vector<QueueItem> open;
  writer_.run_sync([&](store::SqliteDatabase& db) { open = QueueStore(db).open_items(); });
  for (auto& item : open) {
    // Nobody is connected yet: waiting customers have the grace period to come back.
    if (is_waiting(item.state)) gone_since_[item.customer_id] = now;
    engine_.restore(std::move(item));
  }
  auto changed = engine_.take_changed();  // offers that went with the old process
  if (!changed.empty())
    writer_.run_sync([&](store::SqliteDatabase& db) {
      QueueStore store(db);
      for (const auto& item : changed) store.save(item);
    });
}

QueueService::~QueueService() { stop(); }

void QueueService::start(const DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  thread_ = std::thread([this] { run(); });
}

void QueueService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueueService::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kTickInterval);
    if (stopping_) break;
    std::vector<std::pair<QueueItem, std::string>> connects;
    connects.swap(connects_held_);
    lock.unlock();
    if (auto* connector = connector_.load())
      for (const auto& [item, session_id] : connects) connector->connect(item, item.agent_id, session_id);
    tick(unix_now_ms());
    lock.lock();
  }
}

bool QueueService::is_admin(const std::string& user) const { return contains(settings_.admins, user); }

bool QueueService::is_supervisor(const std::string& user) const {
  return is_admin(user) || contains(settings_.supervisors, user);
}

void QueueService::send(const std::string& user, std::string_view type, const std::string& payload,
                        std::string_view session_id) {
  if (!directory_ || !mailer_) return;
  std::string id = identity_.new_message_id();
  std::string now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = type;
  f.from_user_id = identity_.server_id();
  f.from_device_id = identity_.node_id();
  f.to_user_id = user;
  f.session_id = session_id;
  outbox_.emplace_back(user, make_frame_bytes(core::encode_frame(core::build_envelope(f, payload))));
}

QueueService::Dispatch QueueService::take_dispatch() {
  Dispatch d;
  d.items.swap(unwritten_);
  d.frames.swap(outbox_);
  d.connects.swap(to_connect_);
  return d;
}

void QueueService::deliver(Dispatch& d) {
  if (directory_ && mailer_)
    for (const auto& [user, frame] : d.frames) send_to_user(*directory_, *mailer_, user, frame, Delivery::kReliable);
  if (auto* connector = connector_.load())
    for (const auto& [item, session_id] : d.connects) connector->connect(item, item.agent_id, session_id);
}

bool QueueService::write_then(Dispatch d, std::function<void(bool ok)> after) {
  if (d.items.empty()) {
    // Under the service's lock (see below): connects wait for run().
    if (!d.connects.empty()) {
      connects_held_.insert(connects_held_.end(), d.connects.begin(), d.connects.end());
      d.connects.clear();
      wake_.notify_all();
    }
    deliver(d);
    return false;
  }
  auto shared = std::make_shared<Dispatch>(std::move(d));
  auto task = [shared](store::SqliteDatabase& db) {
    QueueStore store(db);
    for (const auto& item : shared->items) store.save(item);
  };
  // Submitted under the service's lock: the writer's order is the order of
  // the changes, and each change is told only once it is committed.
  bool submitted = writer_.submit(task, [this, shared, after](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("queue: writing {} items failed: {}", shared->items.size(), e.what());
      }
    }
    deliver(*shared);
    if (after) after(!error);
  });
  if (submitted) return true;
  // The writer's queue is full: write in line, then tell. Still under the
  // service's lock: the calls the connector starts report back into this
  // service, so they wait for the timer thread (run), outside the lock.
  writer_.run_sync(task);
  connects_held_.insert(connects_held_.end(), shared->connects.begin(), shared->connects.end());
  shared->connects.clear();
  deliver(*shared);
  wake_.notify_all();
  return false;
}

void QueueService::tell_positions(const std::string& queue_id, const std::string& skip_item) {
  for (const auto& change : engine_.position_changes(queue_id)) {
    if (change.item_id == skip_item) continue;
    // Nobody to tell: a customer coming back asks get_status.
    if (directory_ && !directory_->online(change.customer_id)) continue;
    const auto* item = engine_.item(change.item_id);
    if (!item) continue;
    send(change.customer_id, "QUEUE",
         position_update_payload(*item, change.position, engine_.estimated_wait_seconds(item->item_id, change.position)));
  }
}

void QueueService::settle(std::int64_t now_ms) {
  auto offers = engine_.route(now_ms);
  for (auto& item : engine_.take_changed()) {
    touched_queues_.insert(item.queue_id);
    unwritten_.push_back(std::move(item));
  }
  for (const auto& offer : offers)
    if (const auto* item = engine_.item(offer.item_id))
      send(offer.agent_id, "QUEUE", offer_item_payload(*item, settings_.offer_timeout_seconds));
  // Positions are told by the timer (tick), once per queue however many
  // changes came in between: a busy queue of thousands costs one walk per
  // tick, not one per decision.
}

void QueueService::push_stats(const std::string& user, const std::string& queue_id, std::int64_t now_ms,
                              std::string_view target_message_id) {
  send(user, "ANALYTICS", queue_stats_payload(engine_.stats(queue_id, now_ms), target_message_id));
}

std::optional<QueueAnswer> QueueService::handle(const QueueRequest& r, const std::string& user,
                                                std::string_view message_id, std::int64_t now_ms,
                                                std::function<void(const QueueAnswer&)> deferred) {
  QueueAnswer answer;
  try {
    std::lock_guard lock(mutex_);
    switch (r.action) {
      case QueueAction::kEnqueue: answer = enqueue(r, user, now_ms); break;
      case QueueAction::kDequeue: answer = dequeue(r, user, now_ms); break;
      case QueueAction::kGetStatus: answer = get_status(r, user, message_id); break;
      case QueueAction::kAgentAccept:
      case QueueAction::kAgentReject: answer = agent_answer(r, user, now_ms); break;
      case QueueAction::kAssignAgent:
        answer = is_supervisor(user) ? assign_agent(r, now_ms)
                                     : refuse(ErrorCode::kInsufficientPermissions,
                                              "payload.action: assign_agent is for supervisors and server admins");
        break;
      case QueueAction::kUpdatePriority:
        answer = is_supervisor(user) ? update_priority(r)
                                     : refuse(ErrorCode::kInsufficientPermissions,
                                              "payload.action: update_priority is for supervisors and server admins");
        break;
      case QueueAction::kGetStats:
      case QueueAction::kSubscribeStats:
      case QueueAction::kUnsubscribeStats: answer = stats_action(r, user, message_id, now_ms); break;
      case QueueAction::kConfigureQueue:
      case QueueAction::kRemoveQueue:
      case QueueAction::kConfigureAgent:
      case QueueAction::kRemoveAgent:
        answer = is_admin(user) ? configure(r, now_ms)
                                : refuse(ErrorCode::kInsufficientPermissions,
                                         "payload.action: queue and agent configuration is for server admins");
        break;
    }
    if (answer.error) {
      take_dispatch();  // nothing changed, nothing to tell
      return answer;
    }
    settle(now_ms);
    const bool later = write_then(take_dispatch(), [answer, deferred](bool ok) {
      if (!deferred) return;
      deferred(ok ? answer : refuse(ErrorCode::kDatabaseError, "QUEUE: the change could not be written"));
    });
    if (later) return std::nullopt;
  } catch (const std::exception& e) {
    return refuse(ErrorCode::kDatabaseError, std::string("QUEUE: ") + e.what());
  }
  return answer;
}

QueueAnswer QueueService::enqueue(const QueueRequest& r, const std::string& user, std::int64_t now_ms) {
  const std::string customer = r.customer_id.empty() ? user : r.customer_id;
  if (customer != user && !is_admin(user))
    return refuse(ErrorCode::kForbidden, "payload.customer_id: a customer enqueues itself only");
  if (!engine_.queue(r.queue_id)) return refuse(ErrorCode::kResourceNotFound, "payload.queue_id: no queue " + r.queue_id);
  auto open = engine_.items_of_customer(customer);
  for (const auto& id : open) {
    const auto* item = engine_.item(id);
    if (item && item->queue_id == r.queue_id && is_waiting(item->state))
      return refuse(ErrorCode::kInvalidActionForState,
                    "payload.queue_id: " + customer + " is already waiting in " + r.queue_id + " as " + id);
  }
  if (open.size() >= kMaxOpenItemsPerCustomer)
    return refuse(ErrorCode::kInvalidActionForState, "payload.queue_id: at most 8 open items per customer");
  QueueItem item;
  item.item_id = "qi-" + identity_.new_message_id();
  item.queue_id = r.queue_id;
  item.customer_id = customer;
  item.priority = r.priority.value_or(50);
  item.priority_label = r.priority_label.empty() ? "normal" : r.priority_label;
  item.enqueued_at_ms = now_ms;
  item.required_skills = r.skills.value_or(std::vector<std::string>{});
  item.details_json = r.details_json;
  switch (engine_.enqueue(item)) {
    case EnqueueError::kNone: break;
    case EnqueueError::kNoQueue: return refuse(ErrorCode::kResourceNotFound, "payload.queue_id: no queue " + r.queue_id);
    case EnqueueError::kQueueFull:
      return refuse(ErrorCode::kQueueFull, "payload.queue_id: " + r.queue_id + " holds its maximum of " +
                                               std::to_string(engine_.queue(r.queue_id)->max_size) + " items");
    case EnqueueError::kTooManySkills:
      return refuse(ErrorCode::kMalformedPayload, "payload.required_skills: the server knows 64 skills at most");
    case EnqueueError::kDuplicate: return refuse(ErrorCode::kInternalServerError, "payload: item id collision");
  }
  gone_since_.erase(customer);
  // Routed (perhaps offered at once) and written; its own place goes in the
  // RECEIPT, and position_changes remembers it as told.
  settle(now_ms);
  const auto* stored = engine_.item(item.item_id);
  const std::size_t position = engine_.position(item.item_id);
  engine_.mark_told(item.item_id, position);  // its place goes in the RECEIPT
  QueueAnswer a;
  a.receipt_status = "enqueued";
  a.receipt_json = enqueued_receipt(stored ? *stored : item, position,
                                    engine_.estimated_wait_seconds(item.item_id, position));
  return a;
}

QueueAnswer QueueService::dequeue(const QueueRequest& r, const std::string& user, std::int64_t now_ms) {
  const auto* found = engine_.item(r.item_id);
  if (!found) return refuse(ErrorCode::kResourceNotFound, "payload.item_id: no open item " + r.item_id);
  if (found->queue_id != r.queue_id)
    return refuse(ErrorCode::kMalformedPayload, "payload.queue_id: item " + r.item_id + " is in " + found->queue_id);
  const QueueItem before = *found;
  const bool held = !is_waiting(before.state);
  const bool customer = user == before.customer_id;
  const bool holder = held && user == before.agent_id;
  if (!customer && !holder && !is_supervisor(user)) {
    if (user == before.agent_id)
      return refuse(ErrorCode::kInvalidActionForState, "payload.action: an offer is answered with agent_reject");
    return refuse(ErrorCode::kForbidden, "payload.item_id: not your item");
  }
  const bool ok = held ? engine_.resolve(r.item_id, now_ms) : engine_.abandon(r.item_id, now_ms);
  if (!ok) return refuse(ErrorCode::kInvalidActionForState, "payload.item_id: " + r.item_id + " cannot leave now");
  QueueItem after = before;
  after.state = held ? ItemState::kResolved : ItemState::kAbandoned;
  // The other side learns that the item is gone.
  if (!before.agent_id.empty() && user != before.agent_id)
    send(before.agent_id, "QUEUE", withdrawn_payload(after, held ? "resolved" : "abandoned"));
  if (user != before.customer_id) send(before.customer_id, "QUEUE", withdrawn_payload(after, held ? "resolved" : "abandoned"));
  touched_queues_.insert(before.queue_id);
  QueueAnswer a;
  a.receipt_json = item_receipt(after);
  return a;
}

QueueAnswer QueueService::get_status(const QueueRequest& r, const std::string& user, std::string_view message_id) {
  const QueueItem* item = nullptr;
  if (!r.item_id.empty()) {
    item = engine_.item(r.item_id);
    if (!item) return refuse(ErrorCode::kResourceNotFound, "payload.item_id: no open item " + r.item_id);
    if (item->customer_id != user && item->agent_id != user && !is_supervisor(user))
      return refuse(ErrorCode::kForbidden, "payload.item_id: not your item");
  } else {
    for (const auto& id : engine_.items_of_customer(user)) {
      const auto* candidate = engine_.item(id);
      if (candidate && candidate->queue_id == r.queue_id) item = candidate;
    }
    if (!item) return refuse(ErrorCode::kResourceNotFound, "payload.queue_id: you have no item in " + r.queue_id);
  }
  const std::size_t position = engine_.position(item->item_id);
  QueueAnswer a;
  a.data_json = status_payload(message_id, *item, position, engine_.estimated_wait_seconds(item->item_id, position));
  return a;
}

QueueAnswer QueueService::agent_answer(const QueueRequest& r, const std::string& user, std::int64_t now_ms) {
  const bool accept = r.action == QueueAction::kAgentAccept;
  if (!r.agent_id.empty() && r.agent_id != user)
    return refuse(ErrorCode::kForbidden, "payload.agent_id: an agent answers offers for itself only");
  const auto* found = engine_.item(r.item_id);
  if (!found) return refuse(ErrorCode::kResourceNotFound, "payload.item_id: no open item " + r.item_id);
  if (found->agent_id != user || found->state == ItemState::kPending)
    return refuse(ErrorCode::kForbidden, "payload.item_id: " + r.item_id + " is not offered to you");
  if (found->state != ItemState::kOffered)
    return refuse(ErrorCode::kInvalidActionForState, "payload.item_id: " + r.item_id + " is already assigned");
  if (accept ? !engine_.accept(r.item_id, user, now_ms) : !engine_.reject(r.item_id, user, now_ms))
    return refuse(ErrorCode::kInvalidActionForState, "payload.item_id: the offer is no longer open");
  if (accept) engine_.count_call_attempt(r.item_id);  // names the call's session (item_session_id)
  const QueueItem item = *engine_.item(r.item_id);
  touched_queues_.insert(item.queue_id);
  if (accept) {
    // A.3 step 6: the customer learns its agent; the calls module, once
    // plugged in, sends step 7's INVITE in the same session (a fresh one
    // per call of the item: an earlier call may have gone unanswered).
    auto name = settings_.agent_display_names.find(user);
    send(item.customer_id, "SESSION",
         agent_connecting_payload(item, name != settings_.agent_display_names.end() ? name->second : user),
         item_session_id(item));
    to_connect_.emplace_back(item, item_session_id(item));
  }
  QueueAnswer a;
  a.receipt_json = item_receipt(item);
  return a;
}

QueueAnswer QueueService::assign_agent(const QueueRequest& r, std::int64_t now_ms) {
  const auto* found = engine_.item(r.item_id);
  if (!found) return refuse(ErrorCode::kResourceNotFound, "payload.item_id: no open item " + r.item_id);
  if (!engine_.agent(r.agent_id)) return refuse(ErrorCode::kResourceNotFound, "payload.agent_id: no agent " + r.agent_id);
  const QueueItem before = *found;
  if (!engine_.assign(r.item_id, r.agent_id, now_ms))
    return refuse(ErrorCode::kInvalidActionForState,
                  "payload.item_id: " + r.item_id + " is not waiting, or " + r.agent_id + " has no room");
  const QueueItem& item = *engine_.item(r.item_id);
  if (before.state == ItemState::kOffered && before.agent_id != r.agent_id) {
    QueueItem withdrawn = before;
    withdrawn.state = ItemState::kPending;
    send(before.agent_id, "QUEUE", withdrawn_payload(withdrawn, "reassigned"));
  }
  if (before.agent_id != r.agent_id) send(r.agent_id, "QUEUE", offer_item_payload(item, settings_.offer_timeout_seconds));
  QueueAnswer a;
  a.receipt_json = item_receipt(item);
  return a;
}

QueueAnswer QueueService::update_priority(const QueueRequest& r) {
  const auto* found = engine_.item(r.item_id);
  if (!found) return refuse(ErrorCode::kResourceNotFound, "payload.item_id: no open item " + r.item_id);
  if (!r.priority) return refuse(ErrorCode::kMalformedPayload, "payload.priority: required for update_priority");
  if (!engine_.set_priority(r.item_id, *r.priority, r.priority_label))
    return refuse(ErrorCode::kInvalidActionForState, "payload.item_id: " + r.item_id + " is no longer waiting");
  const QueueItem& item = *engine_.item(r.item_id);
  touched_queues_.insert(item.queue_id);
  QueueAnswer a;
  a.receipt_json = item_receipt(item);
  return a;
}

QueueAnswer QueueService::stats_action(const QueueRequest& r, const std::string& user, std::string_view message_id,
                                       std::int64_t now_ms) {
  if (!is_supervisor(user))
    return refuse(ErrorCode::kInsufficientPermissions, "payload.action: statistics are for supervisors and server admins");
  if (r.action == QueueAction::kUnsubscribeStats) {
    auto found = stats_subscribers_.find(user);
    if (found != stats_subscribers_.end()) {
      found->second.erase(r.queue_id);
      if (found->second.empty()) stats_subscribers_.erase(found);
    }
    return {};
  }
  if (!engine_.queue(r.queue_id)) return refuse(ErrorCode::kResourceNotFound, "payload.queue_id: no queue " + r.queue_id);
  if (r.action == QueueAction::kSubscribeStats) {
    auto& queues = stats_subscribers_[user];
    if (queues.size() >= kMaxStatsSubscriptions && !queues.count(r.queue_id))
      return refuse(ErrorCode::kInvalidActionForState, "payload.queue_id: at most 64 subscriptions");
    queues.insert(r.queue_id);
  }
  push_stats(user, r.queue_id, now_ms, message_id);
  return {};
}

QueueAnswer QueueService::configure(const QueueRequest& r, std::int64_t now_ms) {
  switch (r.action) {
    case QueueAction::kConfigureQueue: {
      QueueSettings settings;
      if (const auto* existing = engine_.queue(r.queue_id)) settings = *existing;
      settings.queue_id = r.queue_id;
      if (r.skills) settings.required_skills = *r.skills;
      if (r.max_size) settings.max_size = *r.max_size;
      if (r.service_level_seconds) settings.service_level_seconds = *r.service_level_seconds;
      if (!engine_.set_queue(settings))
        return refuse(ErrorCode::kMalformedPayload, "payload.required_skills: the server knows 64 skills at most");
      break;
    }
    case QueueAction::kRemoveQueue:
      if (!engine_.queue(r.queue_id)) return refuse(ErrorCode::kResourceNotFound, "payload.queue_id: no queue " + r.queue_id);
      if (!engine_.remove_queue(r.queue_id))
        return refuse(ErrorCode::kInvalidActionForState, "payload.queue_id: items are waiting in " + r.queue_id);
      break;
    case QueueAction::kConfigureAgent: {
      AgentSettings settings;
      const bool known = engine_.agent(r.agent_id) != nullptr;
      if (known) settings = *engine_.agent(r.agent_id);
      settings.user_id = r.agent_id;
      if (r.skills) settings.skills = *r.skills;
      if (r.capacity) settings.capacity = *r.capacity;
      if (!engine_.set_agent(settings, now_ms))
        return refuse(ErrorCode::kMalformedPayload, "payload.skills: the server knows 64 skills at most");
      if (!known && presence_of_) engine_.set_agent_present(r.agent_id, presence_of_(r.agent_id) == "available", now_ms);
      break;
    }
    case QueueAction::kRemoveAgent: {
      if (!engine_.agent(r.agent_id)) return refuse(ErrorCode::kResourceNotFound, "payload.agent_id: no agent " + r.agent_id);
      for (const auto& id : engine_.remove_agent(r.agent_id))
        if (const auto* item = engine_.item(id)) send(r.agent_id, "QUEUE", withdrawn_payload(*item, "agent_removed"));
      break;
    }
    default: break;
  }
  return {};
}

void QueueService::on_presence(const std::string& user_id, const std::string& status) {
  try {
    std::lock_guard lock(mutex_);
    if (!engine_.agent(user_id)) return;
    const auto now = unix_now_ms();
    engine_.set_agent_present(user_id, status == "available", now);
    settle(now);
    write_then(take_dispatch(), {});
  } catch (const std::exception& e) {
    spdlog::warn("queue: presence of {}: {}", user_id, e.what());
  }
}

void QueueService::set_presence_source(std::function<std::string(const std::string&)> presence_of) {
  std::lock_guard lock(mutex_);
  presence_of_ = std::move(presence_of);
}

void QueueService::set_call_connector(CallConnector* connector) { connector_ = connector; }

void QueueService::call_answered(const std::string& item_id) {
  std::lock_guard lock(mutex_);
  if (!engine_.mark_active(item_id)) return;
  settle(unix_now_ms());
  write_then(take_dispatch(), {});
}

void QueueService::call_ended(const std::string& item_id) {
  std::lock_guard lock(mutex_);
  const auto now = unix_now_ms();
  const auto* found = engine_.item(item_id);
  if (!found) return;
  QueueItem after = *found;
  if (!engine_.resolve(item_id, now)) return;
  // Both sides learn that the call closed the item, as with an agent's dequeue.
  after.state = ItemState::kResolved;
  send(after.customer_id, "QUEUE", withdrawn_payload(after, "resolved"));
  if (!after.agent_id.empty()) send(after.agent_id, "QUEUE", withdrawn_payload(after, "resolved"));
  touched_queues_.insert(after.queue_id);
  settle(now);
  write_then(take_dispatch(), {});
}

void QueueService::call_not_answered(const std::string& item_id) {
  std::lock_guard lock(mutex_);
  const auto now = unix_now_ms();
  const auto* found = engine_.item(item_id);
  if (!found) return;
  const std::string agent = found->agent_id;
  if (!engine_.requeue(item_id, now)) return;
  const QueueItem& item = *engine_.item(item_id);
  // The agent learns that the item left it; the customer, who received the
  // call's REJECT or END, is told its place at the next tick (position_update).
  send(agent, "QUEUE", withdrawn_payload(item, "call_not_answered"));
  touched_queues_.insert(item.queue_id);
  settle(now);
  write_then(take_dispatch(), {});
}

void QueueService::set_user_in_session(const std::string& user_id, bool in_session) {
  std::lock_guard lock(mutex_);
  if (!engine_.agent(user_id)) return;  // only agents' calls matter here
  const auto now = unix_now_ms();
  engine_.set_agent_in_session(user_id, in_session, now);
  settle(now);
  write_then(take_dispatch(), {});
}

void QueueService::set_agent_in_call(const std::string& user_id, bool in_call) {
  std::lock_guard lock(mutex_);
  const auto now = unix_now_ms();
  engine_.set_agent_in_call(user_id, in_call, now);
  settle(now);
  write_then(take_dispatch(), {});
}

void QueueService::on_registered(ClientSession& session) {
  std::lock_guard lock(mutex_);
  gone_since_.erase(session.user_id());
}

void QueueService::on_unregistered(ClientSession& session) {
  if (!directory_) return;
  // Still listed during the call: gone when this is its last device.
  for (const auto& device : directory_->devices(session.user_id()))
    if (device.connection_id != session.connection_id()) return;
  std::lock_guard lock(mutex_);
  stats_subscribers_.erase(session.user_id());
  if (!engine_.items_of_customer(session.user_id()).empty()) gone_since_[session.user_id()] = unix_now_ms();
}

void QueueService::tick(std::int64_t now_ms) {
  try {
    std::lock_guard lock(mutex_);
    for (const auto& expired : engine_.expire_offers(now_ms, settings_.offer_timeout_seconds * 1000)) {
      if (const auto* item = engine_.item(expired.item_id))
        send(expired.agent_id, "QUEUE", withdrawn_payload(*item, "offer_timeout"));
    }
    for (auto it = gone_since_.begin(); it != gone_since_.end();) {
      if (it->second + settings_.abandon_grace_seconds * 1000 > now_ms) {
        ++it;
        continue;
      }
      for (const auto& id : engine_.items_of_customer(it->first)) {
        const auto* item = engine_.item(id);
        if (!item || !is_waiting(item->state)) continue;
        QueueItem before = *item;
        if (!engine_.abandon(id, now_ms)) continue;
        if (before.state == ItemState::kOffered) {
          before.state = ItemState::kAbandoned;
          send(before.agent_id, "QUEUE", withdrawn_payload(before, "abandoned"));
        }
      }
      it = gone_since_.erase(it);
    }
    if (now_ms >= next_stats_ms_) {
      for (const auto& [user, queues] : stats_subscribers_)
        for (const auto& queue_id : queues) push_stats(user, queue_id, now_ms);
      next_stats_ms_ = now_ms + settings_.stats_interval_seconds * 1000;
    }
    settle(now_ms);
    for (const auto& queue_id : touched_queues_) tell_positions(queue_id);
    touched_queues_.clear();
    write_then(take_dispatch(), {});
  } catch (const std::exception& e) {
    spdlog::warn("queue timers: {}", e.what());
  }
}

}  // namespace qsip::server
