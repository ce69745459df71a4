#include "core/error_registry.hpp"

#include <algorithm>
#include <array>

namespace qsip::core {
namespace {

using enum ErrorCode;

// Reason phrases are the draft's; where the draft gives two names
// ("UserNotOnRoster / NotFriends") the first is used on the wire.
constexpr std::array kRegistry = {
    ErrorRegistryEntry{kMalformedPayload, "MalformedPayload", "invalid JSON, a missing required field or a value of the wrong type or range"},
    ErrorRegistryEntry{kInvalidMessageType, "InvalidMessageType", "type is neither a registered message type nor a reverse-domain custom type"},
    ErrorRegistryEntry{kUnsupportedQsipVersion, "UnsupportedQsipVersion", "qsip_version is not \"1.0\""},
    ErrorRegistryEntry{kMessageTooLarge, "MessageTooLarge", "a frame longer than 65536 bytes"},
    ErrorRegistryEntry{kUnauthorized, "Unauthorized", "general authentication failure"},
    ErrorRegistryEntry{kTokenExpired, "TokenExpired", "the auth_token has expired"},
    ErrorRegistryEntry{kInvalidToken, "InvalidToken", "the auth_token is not a valid token"},
    ErrorRegistryEntry{kInsufficientPermissions, "InsufficientPermissions", "authenticated, but not allowed to do this (including a from that is not the registered user and device)"},
    ErrorRegistryEntry{kRegistrationRequired, "RegistrationRequired", "the connection has not sent REGISTER yet"},
    ErrorRegistryEntry{kForbidden, "Forbidden", "generic denial"},
    ErrorRegistryEntry{kUserNotOnRoster, "UserNotOnRoster", "the target is not on the sender's roster"},
    ErrorRegistryEntry{kTargetUserBlocked, "TargetUserBlocked", "the target user is blocked"},
    ErrorRegistryEntry{kUserNotFound, "UserNotFound", "no such user"},
    ErrorRegistryEntry{kGroupNotFound, "GroupNotFound", "no such group"},
    ErrorRegistryEntry{kSessionNotFound, "SessionNotFound", "no such session"},
    ErrorRegistryEntry{kMessageNotFound, "MessageNotFound", "no such message"},
    ErrorRegistryEntry{kResourceNotFound, "ResourceNotFound", "no such resource"},
    ErrorRegistryEntry{kInvalidActionForState, "InvalidActionForState", "the action is not allowed in the current state"},
    ErrorRegistryEntry{kActionNotSupported, "ActionNotSupported", "this server does not handle this type or action"},
    ErrorRegistryEntry{kNoCommonCodec, "NoCommonCodec", "no codec in common with the offer"},
    ErrorRegistryEntry{kUnsupportedMediaType, "UnsupportedMediaType", "a media type the server does not support"},
    ErrorRegistryEntry{kSdpNegotiationFailed, "SdpNegotiationFailed", "SDP negotiation failed"},
    ErrorRegistryEntry{kRequestTimeout, "RequestTimeout", "no answer in time"},
    ErrorRegistryEntry{kTooManyRequests, "TooManyRequests", "rate limit exceeded"},
    ErrorRegistryEntry{kInternalServerError, "InternalServerError", "an unexpected server failure"},
    ErrorRegistryEntry{kServiceUnavailable, "ServiceUnavailable", "a service the request needs is unavailable"},
    ErrorRegistryEntry{kDatabaseError, "DatabaseError", "the store failed"},
    ErrorRegistryEntry{kQueueFull, "QueueFull", "the queue is full"},
    ErrorRegistryEntry{kMediaConnectionFailed, "MediaConnectionFailed", "media could not be connected"},
    ErrorRegistryEntry{kKeyExchangeFailed, "KeyExchangeFailed", "key exchange failed"},
};

static_assert(std::ranges::is_sorted(kRegistry, {}, &ErrorRegistryEntry::code));

}  // namespace

std::span<const ErrorRegistryEntry> error_registry() { return kRegistry; }

const ErrorRegistryEntry* find_error(std::uint16_t code) {
  auto it = std::ranges::lower_bound(kRegistry, code, {}, [](const ErrorRegistryEntry& e) { return to_number(e.code); });
  return it != kRegistry.end() && to_number(it->code) == code ? &*it : nullptr;
}

std::string_view reason_phrase(ErrorCode code) {
  const auto* entry = find_error(to_number(code));
  return entry ? entry->reason : std::string_view{"Error"};
}

}  // namespace qsip::core
