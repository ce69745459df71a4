#include "server/roster/server_message.hpp"

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"

namespace qsip::server {

std::string server_message_json(ServerIdentity& identity, std::string_view type, std::string_view to_user,
                                std::string_view to_device, std::string_view payload_json) {
  std::string id = identity.new_message_id();
  std::string now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = type;
  f.from_user_id = identity.server_id();
  f.from_device_id = identity.node_id();
  f.to_user_id = to_user;
  f.to_device_id = to_device;
  return core::build_envelope(f, payload_json);
}

FrameBytes server_message_frame(ServerIdentity& identity, std::string_view type, std::string_view to_user,
                                std::string_view payload_json) {
  return make_frame_bytes(core::encode_frame(server_message_json(identity, type, to_user, {}, payload_json)));
}

}  // namespace qsip::server
