// The QSIP message type registry (draft 14.1): one row per type with its
// payload description. Adding a type is one row here, one handler in the
// server; everything else reads this table.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_spec.hpp"

namespace qsip::core {

enum class MessageType : std::uint8_t {
  kRegister, kPresence, kInvite, kAccept, kReject, kEnd, kSession, kChannelUpdate,
  kMessage, kReaction, kReceipt, kMessageAction, kInfo, kGroup, kPoll, kQueue,
  kCalendar, kSchedule, kAnalytics, kModeration, kAuditEvent, kError, kKeyExchange,
  kMediaUpdate, kUserProfile, kSync, kPush, kSearch, kRoster, kChannel, kBot,
  kVoicemail, kFederation, kWorkspace, kStory, kForm, kPayment, kTranscript,
  kBackup, kMfa, kSubscription, kInteractive, kCommand, kWebhook, kWorkflow,
  kModal, kClip,
  kCustom,  // a reverse-domain custom type (draft 10.1)
};
inline constexpr std::size_t kRegisteredTypeCount = 47;

struct TypeSpec {
  MessageType type;
  std::string name;     // as on the wire, case-sensitive
  std::string section;  // draft section
  bool session_id_required = false;
  std::string purpose;
  Shape payload;
  // At least one of these envelope paths must hold a string (INVITE: to.user_id,
  // to.group_id or payload.target_group_id). Empty: no routing requirement.
  std::vector<std::vector<std::string>> target_any;
};

// All 47 registered types, in the draft's order.
std::span<const TypeSpec> registered_types();

// The registered type with this exact name, or nullptr.
const TypeSpec* find_type(std::string_view name);
const TypeSpec& type_spec(MessageType type);
std::string_view type_name(MessageType type);

// draft 10.1: "com.example.custom_type": a lower-case reverse domain name of
// at least two labels, then a type name.
bool is_custom_type_name(std::string_view name);

// The envelope's own fields (draft 4.2) described like a payload; the
// envelope validator and the envelope schema both read it.
const Shape& envelope_shape();

}  // namespace qsip::core
