// The error registry of draft section 9.2 (plus the codes qsip adds, each
// documented in docs/errors.md). Everything that builds an ERROR looks its
// reason phrase up here, so codes and phrases cannot drift apart.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace qsip::core {

enum class ErrorCode : std::uint16_t {
  kMalformedPayload = 4001,
  kInvalidMessageType = 4002,
  kUnsupportedQsipVersion = 4003,
  kMessageTooLarge = 4004,
  kUnauthorized = 4011,
  kTokenExpired = 4012,
  kInvalidToken = 4013,
  kInsufficientPermissions = 4014,
  kRegistrationRequired = 4015,
  kForbidden = 4031,
  kUserNotOnRoster = 4032,
  kTargetUserBlocked = 4033,
  kUserNotFound = 4041,
  kGroupNotFound = 4042,
  kSessionNotFound = 4043,
  kMessageNotFound = 4044,
  kResourceNotFound = 4045,
  kInvalidActionForState = 4051,
  kActionNotSupported = 4052,
  kNoCommonCodec = 4061,
  kUnsupportedMediaType = 4062,
  kSdpNegotiationFailed = 4063,
  kRequestTimeout = 4081,
  kTooManyRequests = 4291,
  kInternalServerError = 5001,
  kServiceUnavailable = 5002,
  kDatabaseError = 5003,
  kQueueFull = 5004,
  kMediaConnectionFailed = 6001,
  kKeyExchangeFailed = 6002,
};

struct ErrorRegistryEntry {
  ErrorCode code;
  std::string_view reason;       // the draft's reason phrase, as sent on the wire
  std::string_view description;  // one line for docs and logs
};

// Every registered code, in ascending order.
std::span<const ErrorRegistryEntry> error_registry();

// The reason phrase for a code; "Error" for a code outside the registry.
std::string_view reason_phrase(ErrorCode code);

// The entry for a numeric code, or nullptr.
const ErrorRegistryEntry* find_error(std::uint16_t code);

constexpr std::uint16_t to_number(ErrorCode code) { return static_cast<std::uint16_t>(code); }

}  // namespace qsip::core
