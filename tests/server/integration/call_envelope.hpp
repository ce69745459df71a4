// What the call tests share to write their messages: the addressee of a
// call message (a user, or a group for group calls) and the envelope of
// one from a party's device.
#pragma once

#include <string>
#include <string_view>

#include "core/envelope_builder.hpp"

namespace qsip::test {

struct To {
  To() = default;
  To(std::string u, std::string g = {}) : user(std::move(u)), group(std::move(g)) {}  // NOLINT: implicit by design
  std::string user;
  std::string group;
};

inline std::string call_envelope(std::string_view type, std::string_view message_id, std::string_view user,
                                 std::string_view device, std::string_view session, std::string_view payload,
                                 const To& to) {
  core::EnvelopeFields f;
  f.message_id = message_id;
  f.timestamp = "2025-06-01T00:50:00Z";
  f.type = type;
  f.from_user_id = user;
  f.from_device_id = device;
  f.to_user_id = to.user;
  f.to_group_id = to.group;
  f.session_id = session;
  return core::build_envelope(f, payload);
}

}  // namespace qsip::test
