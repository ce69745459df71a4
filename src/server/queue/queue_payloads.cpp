#include "server/queue/queue_payloads.hpp"

#include "core/json_writer.hpp"
#include "server/queue/queue_store.hpp"

namespace qsip::server {

namespace {

void item_members(core::JsonWriter& w, const QueueItem& item) {
  w.member("queue_id", item.queue_id).member("item_id", item.item_id);
}

void status_info(core::JsonWriter& w, const QueueItem& item, std::size_t position, std::int64_t wait_seconds) {
  w.key("status_info").begin_object();
  w.member("state", state_name(item.state));
  w.member("position", static_cast<std::uint64_t>(position));
  w.member("estimated_wait_time_seconds", wait_seconds);
  if (!item.agent_id.empty() && !is_waiting(item.state)) w.member("agent_id", item.agent_id);
  w.end_object();
}

}  // namespace

std::string item_session_id(const QueueItem& item) {
  if (item.call_attempts <= 1) return "s-" + item.item_id;
  return "s-" + item.item_id + "-" + std::to_string(item.call_attempts);
}

std::string enqueued_receipt(const QueueItem& item, std::size_t position, std::int64_t wait_seconds) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object();
  item_members(w, item);
  w.member("position", static_cast<std::uint64_t>(position));
  w.member("estimated_wait_time_seconds", wait_seconds);
  w.member("priority", item.priority_label);
  w.end_object();
  return json;
}

std::string status_payload(std::string_view target_message_id, const QueueItem& item, std::size_t position,
                           std::int64_t wait_seconds) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", "get_status").member("target_message_id", target_message_id);
  item_members(w, item);
  status_info(w, item, position, wait_seconds);
  w.end_object();
  return json;
}

std::string item_receipt(const QueueItem& item) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object();
  item_members(w, item);
  w.member("state", state_name(item.state));
  if (!item.agent_id.empty()) w.member("agent_id", item.agent_id);
  if (!item.customer_id.empty()) w.member("customer_id", item.customer_id);
  w.member("priority", item.priority_label);
  w.end_object();
  return json;
}

std::string offer_item_payload(const QueueItem& item, std::int64_t offer_timeout_seconds) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", "offer_item");
  item_members(w, item);
  w.member("customer_id", item.customer_id).member("agent_id", item.agent_id);
  w.member("priority", item.priority_label);
  w.key("details").raw(item.details_json);
  w.key("required_skills").raw(skills_json(item.required_skills));
  w.member("offer_timeout_seconds", offer_timeout_seconds);
  w.end_object();
  return json;
}

std::string position_update_payload(const QueueItem& item, std::size_t position, std::int64_t wait_seconds) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", "position_update");
  item_members(w, item);
  status_info(w, item, position, wait_seconds);
  w.end_object();
  return json;
}

std::string withdrawn_payload(const QueueItem& item, std::string_view reason) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", "dequeue");
  item_members(w, item);
  w.key("status_info").begin_object().member("state", state_name(item.state)).member("reason", reason).end_object();
  w.end_object();
  return json;
}

std::string agent_connecting_payload(const QueueItem& item, std::string_view agent_display_name) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", "agent_connecting");
  w.member("agent_id", item.agent_id).member("agent_display_name", agent_display_name);
  item_members(w, item);
  w.end_object();
  return json;
}

std::string queue_stats_payload(const QueueStats& s, std::string_view target_message_id) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("event_name", "queue_stats").member("metric", "queue_state");
  w.key("value").begin_object();
  w.member("waiting", static_cast<std::uint64_t>(s.waiting));
  w.member("longest_wait_seconds", s.longest_wait_seconds);
  w.member("agents_available", static_cast<std::uint64_t>(s.agents_available));
  w.member("agents_present", static_cast<std::uint64_t>(s.agents_present));
  w.member("handled", static_cast<std::uint64_t>(s.handled));
  w.member("abandoned", static_cast<std::uint64_t>(s.abandoned));
  w.key("service_level_percent");
  if (s.service_level_percent)
    w.value(*s.service_level_percent);
  else
    w.null();
  w.member("service_level_seconds", static_cast<std::uint64_t>(s.service_level_seconds));
  w.member("average_handle_seconds", s.average_handle_seconds);
  w.end_object();
  w.key("dimensions").begin_object().member("queue_id", s.queue_id).end_object();
  if (!target_message_id.empty()) w.member("target_message_id", target_message_id);
  w.end_object();
  return json;
}

}  // namespace qsip::server
