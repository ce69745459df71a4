// A validated message, as views over the received bytes and the parser's
// document. Valid until the MessageValidator that produced it parses again.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "core/message_type.hpp"

namespace qsip::core {

struct MessageView {
  MessageType type = MessageType::kCustom;
  std::string_view type_name;
  std::string_view message_id;
  std::string_view timestamp;
  std::string_view from_user_id;
  std::string_view from_device_id;
  std::string_view session_id;  // empty when absent or null
  std::string_view to_user_id;  // each empty when absent or null
  std::string_view to_group_id;
  std::string_view to_channel_id;
  std::string_view to_call_center_id;
  std::string_view to_server_id;
  std::string_view to_device_id;
  simdjson::dom::object root;
  simdjson::dom::object payload;

  // A string member of the payload, or empty when absent, null or not a string.
  std::string_view payload_string(std::string_view key) const;
};

}  // namespace qsip::core
