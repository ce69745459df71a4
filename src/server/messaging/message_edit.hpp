// The payload of a message after a MESSAGE_ACTION edit (draft 5.12):
// `new_payload` replaces it whole; `new_content` replaces its `content` and
// keeps the rest.
#pragma once

#include <optional>
#include <string>

#include "core/message_view.hpp"

namespace qsip::server {

// `current_payload`: the payload now (JSON object text). Nullopt when the
// action carries neither new_content nor new_payload.
std::optional<std::string> edited_payload(const std::string& current_payload, const core::MessageView& action);

}  // namespace qsip::server
