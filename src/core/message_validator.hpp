// Parses one QSIP message (the body of a frame) with simdjson and checks it
// against the envelope rules of draft section 4 and the payload description
// of its type. The first problem found becomes a Failure with the draft's code
// and a detail naming the field ("payload.media_types: required").
#pragma once

#include <simdjson.h>

#include <string_view>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::core {

class MessageValidator {
 public:
  MessageValidator();

  // `padded` says that at least simdjson::SIMDJSON_PADDING readable bytes
  // follow the message, which lets simdjson parse in place without a copy.
  Outcome<MessageView> validate(std::string_view json, bool padded = false);

  // Validation of an already parsed element (used for nested envelopes).
  // `path` is the prefix for details, e.g. "payload.scheduled_message".
  static Outcome<MessageView> validate_element(simdjson::dom::element root, std::string_view path);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace qsip::core
