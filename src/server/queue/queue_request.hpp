// A QUEUE request (draft 5.16, docs/call-centre.md) read out of the
// validated message into plain values, with the checks the type table
// cannot express (priority names and range, skill lists, numbers of the
// admin actions). 4001 names the field; server-originated actions are 4052.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::server {

inline constexpr std::size_t kMaxItemSkills = 16;   // required_skills / skills per request
inline constexpr std::size_t kMaxSkillBytes = 64;

enum class QueueAction : std::uint8_t {
  kEnqueue, kDequeue, kGetStatus, kAssignAgent, kAgentAccept, kAgentReject, kUpdatePriority,
  // Extensions (docs/call-centre.md): statistics and run-time configuration.
  kGetStats, kSubscribeStats, kUnsubscribeStats, kConfigureQueue, kRemoveQueue, kConfigureAgent, kRemoveAgent,
};

struct QueueRequest {
  QueueAction action = QueueAction::kGetStatus;
  std::string queue_id;
  std::string item_id;
  std::string customer_id;
  std::string agent_id;
  std::optional<std::int64_t> priority;
  std::string priority_label;
  std::string details_json = "{}";
  std::optional<std::vector<std::string>> skills;  // required_skills, or an agent's skills
  std::optional<std::uint32_t> max_size, service_level_seconds, capacity;
};

core::Outcome<QueueRequest> read_queue_request(const core::MessageView& message);

}  // namespace qsip::server
