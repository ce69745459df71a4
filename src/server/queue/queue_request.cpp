#include "server/queue/queue_request.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "server/queue/queue_priority.hpp"

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {

constexpr std::array<std::pair<std::string_view, QueueAction>, 14> kActions{{
    {"enqueue", QueueAction::kEnqueue},
    {"dequeue", QueueAction::kDequeue},
    {"get_status", QueueAction::kGetStatus},
    {"assign_agent", QueueAction::kAssignAgent},
    {"agent_accept", QueueAction::kAgentAccept},
    {"agent_reject", QueueAction::kAgentReject},
    {"update_priority", QueueAction::kUpdatePriority},
    {"get_stats", QueueAction::kGetStats},
    {"subscribe_stats", QueueAction::kSubscribeStats},
    {"unsubscribe_stats", QueueAction::kUnsubscribeStats},
    {"configure_queue", QueueAction::kConfigureQueue},
    {"remove_queue", QueueAction::kRemoveQueue},
    {"configure_agent", QueueAction::kConfigureAgent},
    {"remove_agent", QueueAction::kRemoveAgent},
}};

Failure malformed(const core::MessageView& m, std::string detail) {
  return Failure{ErrorCode::kMalformedPayload, std::move(detail), std::string(m.message_id), {}};
}

std::optional<Failure> read_priority(const core::MessageView& m, QueueRequest& r) {
  simdjson::dom::element value;
  if (m.payload["priority"].get(value) || value.is_null()) return std::nullopt;
  std::string_view name;
  if (!value.get(name)) {
    auto level = priority_from_name(name);
    if (!level) return malformed(m, "payload.priority: high, normal, low or a number from 0 to 1000");
    r.priority = *level;
    r.priority_label = std::string(name);
    return std::nullopt;
  }
  double number = 0;
  if (value.get(number) || !std::isfinite(number) || number < 0 || number > kMaxPriority || number != std::floor(number))
    return malformed(m, "payload.priority: high, normal, low or a whole number from 0 to 1000");
  r.priority = static_cast<std::int64_t>(number);
  r.priority_label = std::to_string(*r.priority);
  return std::nullopt;
}

std::optional<Failure> read_skills(const core::MessageView& m, const char* key, QueueRequest& r) {
  simdjson::dom::element value;
  if (m.payload[key].get(value) || value.is_null()) return std::nullopt;
  simdjson::dom::array array;
  const std::string field = std::string("payload.") + key;
  if (value.get(array)) return malformed(m, field + ": must be an array of skill names");
  std::vector<std::string> skills;
  for (auto element : array) {
    std::string_view skill;
    if (element.get(skill) || skill.empty() || skill.size() > kMaxSkillBytes)
      return malformed(m, field + ": skill names of 1 to 64 bytes");
    if (std::find(skills.begin(), skills.end(), skill) == skills.end()) skills.emplace_back(skill);
    if (skills.size() > kMaxItemSkills) return malformed(m, field + ": at most 16 skills");
  }
  r.skills = std::move(skills);
  return std::nullopt;
}

std::optional<Failure> read_count(const core::MessageView& m, const char* key, std::int64_t min, std::int64_t max,
                                  std::optional<std::uint32_t>& out) {
  simdjson::dom::element value;
  if (m.payload[key].get(value) || value.is_null()) return std::nullopt;
  std::int64_t n = 0;
  if (value.get(n) || n < min || n > max)
    return malformed(m, std::string("payload.") + key + ": a whole number from " + std::to_string(min) + " to " +
                            std::to_string(max));
  out = static_cast<std::uint32_t>(n);
  return std::nullopt;
}

std::optional<Failure> require(const core::MessageView& m, const std::string& value, const char* field,
                               std::string_view action) {
  if (!value.empty()) return std::nullopt;
  return malformed(m, std::string("payload.") + field + ": required for " + std::string(action));
}

}  // namespace

core::Outcome<QueueRequest> read_queue_request(const core::MessageView& m) {
  auto action_text = m.payload_string("action");
  QueueRequest r;
  auto found = std::find_if(kActions.begin(), kActions.end(), [&](const auto& a) { return a.first == action_text; });
  if (found == kActions.end())
    return Failure{ErrorCode::kActionNotSupported,
                   "payload.action: " + std::string(action_text) + " is sent by the server, not to it",
                   std::string(m.message_id), {}};
  r.action = found->second;
  r.queue_id = std::string(m.payload_string("queue_id"));
  r.item_id = std::string(m.payload_string("item_id"));
  r.customer_id = std::string(m.payload_string("customer_id"));
  r.agent_id = std::string(m.payload_string("agent_id"));
  simdjson::dom::object details;
  if (!m.payload["details"].get(details)) r.details_json = simdjson::to_string(details);
  if (auto f = read_priority(m, r)) return *f;
  const bool agent_action = r.action == QueueAction::kConfigureAgent || r.action == QueueAction::kRemoveAgent;
  if (auto f = read_skills(m, agent_action ? "skills" : "required_skills", r)) return *f;
  if (auto f = read_count(m, "max_size", 1, 100000, r.max_size)) return *f;
  if (auto f = read_count(m, "service_level_seconds", 1, 86400, r.service_level_seconds)) return *f;
  if (auto f = read_count(m, "capacity", 1, 100, r.capacity)) return *f;
  switch (r.action) {
    case QueueAction::kAssignAgent:
      if (auto f = require(m, r.agent_id, "agent_id", action_text)) return *f;
      break;
    case QueueAction::kConfigureAgent:
    case QueueAction::kRemoveAgent:
      if (auto f = require(m, r.agent_id, "agent_id", action_text)) return *f;
      break;
    case QueueAction::kEnqueue:
      if (!r.priority) {
        r.priority = kPriorityNormal;
        r.priority_label = "normal";
      }
      break;
    default: break;
  }
  return r;
}

}  // namespace qsip::server
