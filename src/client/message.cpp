#include "qsip/message.hpp"

#include <simdjson.h>

namespace qsip {

// The JSON text with simdjson's padding, and the parsed document over it.
struct Message::Impl {
  std::string json;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  simdjson::dom::object payload;

  bool parse() {
    json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    auto doc = parser.parse(json.data(), json.size(), true);
    if (doc.error() || !doc.value_unsafe().is_object()) return false;
    root = simdjson::dom::object(doc.value_unsafe());
    auto t = root["type"];
    auto p = root["payload"];
    if (t.error() || !t.is_string() || p.error() || !p.is_object()) return false;
    payload = simdjson::dom::object(p.value_unsafe());
    return true;
  }
  std::string_view string_at(simdjson::dom::object obj, std::string_view key) const {
    std::string_view s;
    if (obj[key].get(s)) return {};
    return s;
  }
};

std::optional<Message> Message::parse(std::string json) {
  auto impl = std::make_unique<Impl>();
  impl->json = std::move(json);
  if (!impl->parse()) return std::nullopt;
  return Message(std::move(impl));
}

Message::Message(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Message::Message(const Message& other) : Message(*parse(other.impl_->json)) {}
Message& Message::operator=(const Message& other) {
  if (this != &other) *this = *parse(other.impl_->json);
  return *this;
}
Message::Message(Message&&) noexcept = default;
Message& Message::operator=(Message&&) noexcept = default;
Message::~Message() = default;

const std::string& Message::json() const { return impl_->json; }
std::string_view Message::type() const { return impl_->string_at(impl_->root, "type"); }
std::string_view Message::message_id() const { return impl_->string_at(impl_->root, "message_id"); }
std::string_view Message::session_id() const { return impl_->string_at(impl_->root, "session_id"); }
std::string_view Message::from_user_id() const {
  simdjson::dom::object from;
  if (impl_->root["from"].get(from)) return {};
  return impl_->string_at(from, "user_id");
}
std::string_view Message::from_device_id() const {
  simdjson::dom::object from;
  if (impl_->root["from"].get(from)) return {};
  return impl_->string_at(from, "device_id");
}

std::optional<std::string_view> Message::payload_string(std::string_view key) const {
  std::string_view s;
  if (impl_->payload[key].get(s)) return std::nullopt;
  return s;
}
std::optional<std::int64_t> Message::payload_int(std::string_view key) const {
  std::int64_t v;
  if (impl_->payload[key].get(v)) return std::nullopt;
  return v;
}
std::optional<bool> Message::payload_bool(std::string_view key) const {
  bool v;
  if (impl_->payload[key].get(v)) return std::nullopt;
  return v;
}
std::optional<std::string> Message::payload_json(std::string_view key) const {
  auto e = impl_->payload[key];
  if (e.error()) return std::nullopt;
  return simdjson::to_string(e.value_unsafe());
}

int Message::error_code() const {
  if (!is_error()) return 0;
  return static_cast<int>(payload_int("code").value_or(0));
}

}  // namespace qsip
