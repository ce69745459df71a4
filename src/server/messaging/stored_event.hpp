// Turning a validated MESSAGE, MESSAGE_ACTION or REACTION into the record
// the store keeps: routing columns read from the envelope, the envelope
// itself as received, and the text that full-text search indexes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/message_view.hpp"
#include "store/message_store.hpp"

namespace qsip::server {

// The JSON body of a frame (its varint length prefix skipped).
std::string_view frame_body(std::string_view frame);

// What search finds a MESSAGE by: the text of a text message, the names of
// files, the title and body of cards ("" for kinds with no words).
std::string searchable_text(simdjson::dom::object payload);

// The stored files a MESSAGE references (content.url, attachments[].url of
// the form qsip://<server>/files/<id>): their downloads are allowed to
// whoever can see the message (docs/files.md).
std::vector<std::string> referenced_file_ids(simdjson::dom::object payload);

store::StoredEvent stored_event(const core::MessageView& message, std::string_view frame, std::int64_t now_ms);

}  // namespace qsip::server
