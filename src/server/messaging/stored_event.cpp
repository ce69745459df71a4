#include "server/messaging/stored_event.hpp"

#include "server/files/file_url.hpp"

namespace qsip::server {
namespace {

void append_words(std::string& out, std::string_view words) {
  if (words.empty()) return;
  if (!out.empty()) out += '\n';
  out += words;
}

void append_member(std::string& out, simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (!object[key].get(text)) append_words(out, text);
}

// The file a content object names by its url, if it is one of ours.
void add_file_id(std::vector<std::string>& out, simdjson::dom::object object) {
  std::string_view url;
  if (object["url"].get(url)) return;
  if (auto parsed = parse_file_url(url)) out.push_back(std::move(parsed->file_id));
}

}  // namespace

std::vector<std::string> referenced_file_ids(simdjson::dom::object payload) {
  std::vector<std::string> out;
  simdjson::dom::object content;
  if (!payload["content"].get(content)) add_file_id(out, content);
  simdjson::dom::array attachments;
  if (!payload["attachments"].get(attachments))
    for (auto a : attachments)
      if (a.is_object()) add_file_id(out, a.get_object().value_unsafe());
  return out;
}

std::string_view frame_body(std::string_view frame) {
  if (frame.empty()) return frame;
  const std::size_t prefix = std::size_t{1} << (static_cast<unsigned char>(frame[0]) >> 6);
  return prefix <= frame.size() ? frame.substr(prefix) : std::string_view{};
}

std::string searchable_text(simdjson::dom::object payload) {
  std::string out;
  simdjson::dom::element content;
  if (payload["content"].get(content)) return out;
  std::string_view text;
  simdjson::dom::object object;
  if (!content.get(text)) {
    append_words(out, text);
  } else if (!content.get(object)) {
    for (const char* key : {"file_name", "title", "subtitle", "body", "address"}) append_member(out, object, key);
  }
  simdjson::dom::array attachments;
  if (!payload["attachments"].get(attachments))
    for (auto a : attachments)
      if (a.is_object()) append_member(out, a.get_object().value_unsafe(), "file_name");
  return out;
}

store::StoredEvent stored_event(const core::MessageView& m, std::string_view frame, std::int64_t now_ms) {
  store::StoredEvent e;
  e.kind = std::string(m.type_name);
  e.sender_user = std::string(m.from_user_id);
  e.sender_device = std::string(m.from_device_id);
  e.message_id = std::string(m.message_id);
  e.to_user = std::string(m.to_user_id);
  e.to_group = std::string(!m.to_group_id.empty() ? m.to_group_id : m.to_channel_id);
  e.thread_id = std::string(m.payload_string("thread_id"));
  e.reply_to = std::string(m.payload_string("reply_to_message_id"));
  e.target_message_id = std::string(m.payload_string("target_message_id"));
  e.priority = std::string(m.payload_string("priority"));
  e.created_at_ms = now_ms;
  e.envelope = std::string(frame_body(frame));
  if (m.type == core::MessageType::kMessage) {
    e.search_text = searchable_text(m.payload);
    std::int64_t ttl = 0;
    if (!m.payload["ephemeral_ttl"].get(ttl) && ttl > 0) e.ephemeral_ttl_s = ttl;
    e.file_ids = referenced_file_ids(m.payload);
  }
  return e;
}

}  // namespace qsip::server
