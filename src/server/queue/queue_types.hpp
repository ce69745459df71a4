// The values the queue module works on (draft 5.16, Appendix B): queues and
// agents as configured, and queue items with their state. Plain data: the
// engine, the store and the handler share them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::server {

// Appendix B, "Queue Item State". RESOLVED and ABANDONED are final.
enum class ItemState : std::uint8_t { kPending, kOffered, kAssigned, kActive, kResolved, kAbandoned };

std::string_view state_name(ItemState state);  // "PENDING" ...
std::optional<ItemState> parse_state(std::string_view name);
inline bool is_waiting(ItemState s) { return s == ItemState::kPending || s == ItemState::kOffered; }
inline bool is_final(ItemState s) { return s == ItemState::kResolved || s == ItemState::kAbandoned; }

struct QueueSettings {
  std::string queue_id;
  std::vector<std::string> required_skills;  // every item of the queue needs them
  std::uint32_t max_size = 1000;             // waiting items; one more is 5004 QueueFull
  std::uint32_t service_level_seconds = 60;  // the target: answered within this
};

struct AgentSettings {
  std::string user_id;
  std::vector<std::string> skills;
  std::uint32_t capacity = 1;  // items held at once (offered, assigned, active)
};

struct QueueItem {
  std::string item_id;
  std::string queue_id;
  std::string customer_id;
  std::int64_t priority = 50;         // higher first (queue_priority.hpp)
  std::string priority_label = "normal";  // as given: "high", "normal", "low" or the number
  std::uint64_t sequence = 0;         // arrival order, kept across restarts
  std::int64_t enqueued_at_ms = 0;
  std::vector<std::string> required_skills;  // the item's own, besides the queue's
  std::string details_json = "{}";
  ItemState state = ItemState::kPending;
  std::string agent_id;               // offered to / assigned to
  std::int64_t offered_at_ms = 0;
  std::int64_t assigned_at_ms = 0;
  std::int64_t ended_at_ms = 0;       // resolved or abandoned
  // Calls started for the item (an accept each); names the next session,
  // since a session id is never used twice (item_session_id).
  std::uint32_t call_attempts = 0;
};

}  // namespace qsip::server
