#include "server/messaging/history_entry.hpp"

#include <simdjson.h>

namespace qsip::server {

const char* state_name(store::MessageState state) {
  switch (state) {
    case store::MessageState::kSentToServer: return "delivered_to_server";
    case store::MessageState::kDeliveredToClient: return "delivered_to_client";
    case store::MessageState::kRead: return "read";
    case store::MessageState::kFailed: return "failed";
  }
  return "delivered_to_server";
}

void write_history_entry(core::JsonWriter& w, const store::MessageNow& m) {
  const auto& e = m.event;
  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  const bool parsed = !parser.parse(e.envelope).get(envelope);
  w.begin_object();
  w.member("seq", e.seq).member("message_id", e.message_id);
  w.key("from").begin_object().member("user_id", e.sender_user).member("device_id", e.sender_device).end_object();
  w.key("to").begin_object();
  if (!e.to_group.empty()) {
    w.member("group_id", e.to_group);
  } else {
    w.member("user_id", e.to_user);
  }
  w.end_object();
  std::string_view timestamp;
  if (parsed && !envelope["timestamp"].get(timestamp)) w.member("timestamp", timestamp);
  w.member("stored_at_ms", e.created_at_ms);
  if (!e.thread_id.empty()) w.member("thread_id", e.thread_id);
  if (!e.reply_to.empty()) w.member("reply_to_message_id", e.reply_to);
  w.member("state", state_name(e.state));
  w.member("deleted", m.deleted);
  if (m.edited_at_ms > 0) w.member("edited_at_ms", m.edited_at_ms).member("edit_count", m.edit_count);
  simdjson::dom::object payload;
  if (!m.current_payload.empty()) {
    w.key("payload").raw(m.current_payload);
  } else if (parsed && !envelope["payload"].get(payload)) {
    w.key("payload").raw(simdjson::to_string(payload));
  }
  w.key("reactions").begin_object();
  for (const auto& [reaction, users] : m.reactions) {
    w.key(reaction).begin_array();
    for (const auto& u : users) w.value(u);
    w.end_array();
  }
  w.end_object();
  w.end_object();
}

}  // namespace qsip::server
