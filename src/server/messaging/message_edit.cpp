#include "server/messaging/message_edit.hpp"

#include "core/json_writer.hpp"

namespace qsip::server {

std::optional<std::string> edited_payload(const std::string& current_payload, const core::MessageView& action) {
  simdjson::dom::object replacement;
  if (!action.payload["new_payload"].get(replacement)) return simdjson::to_string(replacement);
  simdjson::dom::element content;
  if (action.payload["new_content"].get(content)) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::object base;
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  if (!parser.parse(current_payload).get(base))
    for (auto [key, value] : base)
      if (key != "content") w.key(key).raw(simdjson::to_string(value));
  w.key("content").raw(simdjson::to_string(content));
  w.end_object();
  return out;
}

}  // namespace qsip::server
