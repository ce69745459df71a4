// The routing engine (draft 5.16, Appendix B): queues, agents and items in
// memory, and the decisions: which waiting item goes to which agent. No
// I/O, no clock (callers pass Unix milliseconds), no locks: the queue
// service owns one and serialises calls to it.
//
// Routing: the waiting item served first is the one of highest priority,
// then earliest arrival (a sequence number, kept across restarts); it is
// offered to the available agent idle the longest who has every skill the
// item needs (its queue's and its own). An agent is available when present
// (`available` presence), not in a call (the queue's, or any other session
// it is inviting or taking part in) and holding fewer items than its
// capacity. Skills are interned as bits of a 64-bit mask, so "has every
// skill" is one AND; pending items are grouped by the mask they need, each
// group ordered, and available agents are kept ordered by idle-since: a
// decision looks at the head of each group and scans agents in idle order
// until one fits.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/queue/queue_types.hpp"

namespace qsip::server {

inline constexpr std::size_t kMaxSkills = 64;  // distinct skill names, server-wide

struct Offer {
  std::string item_id;
  std::string agent_id;
};

struct PositionChange {
  std::string item_id;
  std::string customer_id;
  std::size_t position = 0;
};

struct QueueStats {
  std::string queue_id;
  std::size_t waiting = 0;
  std::int64_t longest_wait_seconds = 0;
  std::size_t agents_available = 0;
  std::size_t agents_present = 0;  // eligible agents with `available` presence
  std::size_t handled = 0;         // accepted by an agent since start
  std::size_t abandoned = 0;
  // Percentage of the recent items (up to 100) that left the queue answered
  // within the target; nullopt while none has left.
  std::optional<double> service_level_percent;
  std::uint32_t service_level_seconds = 0;
  std::int64_t average_handle_seconds = 0;
};

enum class EnqueueError : std::uint8_t { kNone, kNoQueue, kQueueFull, kTooManySkills, kDuplicate };

class QueueEngine {
 public:
  explicit QueueEngine(std::int64_t default_handle_seconds = 180) : default_handle_seconds_(default_handle_seconds) {}

  // Configuration (TOML at start, admins at run time). False: too many
  // distinct skills, or (remove_queue) items are still waiting in it.
  bool set_queue(QueueSettings settings);
  bool remove_queue(const std::string& queue_id);
  bool set_agent(AgentSettings settings, std::int64_t now_ms);
  // The agent's offers go back to pending; held items stay with it.
  std::vector<std::string> remove_agent(const std::string& user_id);
  const QueueSettings* queue(const std::string& queue_id) const;
  const AgentSettings* agent(const std::string& user_id) const;
  std::vector<std::string> queue_ids() const;

  // Availability inputs: presence `available` or not, and the calls hook.
  void set_agent_present(const std::string& user_id, bool present, std::int64_t now_ms);
  void set_agent_in_call(const std::string& user_id, bool in_call, std::int64_t now_ms);
  // Any call, the queue's or a direct one: inviting or in a session.
  void set_agent_in_session(const std::string& user_id, bool in_session, std::int64_t now_ms);
  bool agent_available(const std::string& user_id) const;

  // A new item: the engine gives it its sequence number. Its position is
  // position(item_id) afterwards.
  EnqueueError enqueue(QueueItem item);
  // An item read back from the store after a restart: it keeps its
  // sequence; an offer in flight went with the old process (back to PENDING).
  void restore(QueueItem item);

  const QueueItem* item(const std::string& item_id) const;
  std::vector<std::string> items_of_customer(const std::string& customer_id) const;

  // Transitions; false when the item is not in a state that allows it.
  bool abandon(const std::string& item_id, std::int64_t now_ms);                         // waiting -> ABANDONED
  bool resolve(const std::string& item_id, std::int64_t now_ms);                         // held -> RESOLVED
  bool accept(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms);  // OFFERED -> ASSIGNED
  bool reject(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms);  // OFFERED -> PENDING
  bool mark_active(const std::string& item_id);                                          // ASSIGNED -> ACTIVE
  // The agent's call was not answered: back to waiting with its place and
  // priority, the agent counted as having declined it (ASSIGNED -> PENDING).
  bool requeue(const std::string& item_id, std::int64_t now_ms);
  // A call is started for the accepted item: counts the attempt.
  bool count_call_attempt(const std::string& item_id);
  // An admin's choice: the waiting item is offered to `agent_id` now,
  // whatever the routing order (the agent must exist and have room).
  bool assign(const std::string& item_id, const std::string& agent_id, std::int64_t now_ms);
  bool set_priority(const std::string& item_id, std::int64_t priority, std::string label);

  // Offers to make now, as many as available agents and waiting items allow.
  std::vector<Offer> route(std::int64_t now_ms);
  // One decision: the next offer, or none.
  std::optional<Offer> route_one(std::int64_t now_ms);
  // Offers older than `timeout_ms` go back to PENDING (their agents are not
  // offered the item again while another agent can take it).
  std::vector<Offer> expire_offers(std::int64_t now_ms, std::int64_t timeout_ms);
  std::int64_t next_offer_expiry(std::int64_t timeout_ms) const;  // 0: no offer out

  // 1-based place among the waiting items of the item's queue; 0: not waiting.
  std::size_t position(const std::string& item_id) const;
  // The waiting customers of `queue_id` whose position changed since they
  // were last told (the change is remembered as told).
  std::vector<PositionChange> position_changes(const std::string& queue_id);
  // The customer was told `position` another way (the enqueue RECEIPT).
  void mark_told(const std::string& item_id, std::size_t position);
  // For the item at `position` of its queue: the places ahead that the
  // agents able to take it (free ones first) work through at the recent
  // handling time (default_handle_seconds before any).
  std::int64_t estimated_wait_seconds(const std::string& item_id, std::size_t position) const;
  QueueStats stats(const std::string& queue_id, std::int64_t now_ms) const;
  std::size_t waiting_count() const { return waiting_total_; }

  // Items changed since the last call, as they are now (final ones
  // included, then forgotten): what the store must write.
  std::vector<QueueItem> take_changed();

 private:
  struct WaitKey {
    std::int64_t priority;
    std::uint64_t sequence;
    bool operator<(const WaitKey& o) const {
      return priority != o.priority ? priority > o.priority : sequence < o.sequence;
    }
  };
  struct Entry {
    QueueItem item;
    std::uint64_t need = 0;             // skill mask: the queue's and the item's
    std::vector<std::string> declined;  // agents that rejected or let the offer time out
    std::size_t told_position = 0;
    bool outcome_recorded = false;      // counted in the statistics (once, even when requeued)
  };
  struct AgentState {
    AgentSettings settings;
    std::uint64_t skills = 0;
    bool present = false;
    bool in_call = false;     // the queue's call, from its INVITE to its end
    bool in_session = false;  // any call (calls module): inviting, active, on hold
    std::uint32_t load = 0;
    std::int64_t idle_since_ms = 0;
    bool listed = false;  // in available_
  };
  struct QueueState {
    QueueSettings settings;
    std::uint64_t need = 0;
    std::set<std::pair<WaitKey, std::string>> waiting;  // PENDING and OFFERED, in order
    std::deque<std::int64_t> handle_seconds;             // recent, for the estimate
    std::deque<bool> answered_in_target;                  // recent, for the service level
    std::size_t handled = 0, abandoned = 0;
  };

  std::optional<std::uint64_t> mask_of(const std::vector<std::string>& skills);
  void refresh_availability(AgentState& agent);
  void unlist(AgentState& agent);  // out of available_ (before idle_since changes)
  bool available(const AgentState& agent) const;
  void add_pending(Entry& entry);
  void give_back(Entry& entry, const std::string& agent_id);
  void remove_pending(const Entry& entry);
  void leave_waiting(Entry& entry);
  void changed(const std::string& item_id) { changed_.insert(item_id); }
  void record_outcome(QueueState& queue, Entry& entry, bool answered, std::int64_t now_ms);
  void release_agent(const std::string& agent_id, std::int64_t now_ms);
  void hold_agent(const std::string& agent_id);
  const AgentState* best_agent(const Entry& entry) const;
  bool everyone_declined(const Entry& entry) const;

  std::int64_t default_handle_seconds_;
  std::unordered_map<std::string, std::uint64_t> skill_bits_;
  std::map<std::string, QueueState> queues_;
  std::unordered_map<std::string, AgentState> agents_;
  std::unordered_map<std::string, Entry> items_;
  // PENDING items grouped by the skills they need, each group in serving order.
  std::map<std::uint64_t, std::set<std::pair<WaitKey, std::string>>> pending_;
  // Available agents, longest idle first.
  std::set<std::pair<std::int64_t, std::string>> available_;
  std::set<std::pair<std::int64_t, std::string>> offers_;  // (offered_at_ms, item_id)
  std::set<std::string> changed_;
  std::uint64_t next_sequence_ = 1;
  std::size_t waiting_total_ = 0;
};

}  // namespace qsip::server
