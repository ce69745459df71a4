// The envelope of a message the generator sends as `from` on its device
// "d" (every workload registers its parties with that device id).
#pragma once

#include <string>
#include <string_view>

#include "core/envelope_builder.hpp"

namespace qsip::bench {

inline std::string bench_envelope(std::string_view type, std::string_view message_id, std::string_view timestamp,
                                  std::string_view from, std::string_view to_user, std::string_view to_group,
                                  std::string_view session_id, std::string_view payload) {
  core::EnvelopeFields f;
  f.message_id = message_id;
  f.timestamp = timestamp;
  f.type = type;
  f.from_user_id = from;
  f.from_device_id = "d";
  f.to_user_id = to_user;
  f.to_group_id = to_group;
  f.session_id = session_id;
  return core::build_envelope(f, payload);
}

}  // namespace qsip::bench
