#include "client/delivery_acknowledger.hpp"

#include <array>
#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/uuid.hpp"

namespace qsip::client {

DeliveryAcknowledger::DeliveryAcknowledger(std::size_t remember)
    : remember_(remember), random_(std::random_device{}()) {}

void DeliveryAcknowledger::set_identity(std::string user_id, std::string device_id) {
  user_id_ = std::move(user_id);
  device_id_ = std::move(device_id);
}

void DeliveryAcknowledger::set_identity_from_register(const std::string& register_json) {
  auto m = Message::parse(register_json);
  if (m && !m->from_user_id().empty()) set_identity(std::string(m->from_user_id()), std::string(m->from_device_id()));
}

bool DeliveryAcknowledger::is_durable(const Message& m) {
  const auto type = m.type();
  return type == "MESSAGE" || type == "MESSAGE_ACTION" || type == "REACTION";
}

std::optional<std::string> DeliveryAcknowledger::receipt_for(const Message& m) {
  if (!is_durable(m) || user_id_.empty() || m.from_user_id().empty()) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  const std::uint64_t a = random_(), b = random_();
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
    bytes[static_cast<std::size_t>(i + 8)] = static_cast<std::uint8_t>(b >> (8 * i));
  }
  const std::string id = core::uuid_v4(bytes);
  const std::string now = core::format_timestamp(std::chrono::system_clock::now());
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = "RECEIPT";
  f.from_user_id = user_id_;
  f.from_device_id = device_id_;
  f.to_user_id = m.from_user_id();
  std::string payload;
  core::JsonWriter(payload)
      .begin_object()
      .member("target_message_id", m.message_id())
      .member("status", "delivered_to_client")
      .end_object();
  return core::build_envelope(f, payload);
}

bool DeliveryAcknowledger::first_time(const Message& m) {
  std::string key(m.from_user_id());
  key += '\x1f';
  key += m.message_id();
  if (!seen_.insert(key).second) return false;
  order_.push_back(std::move(key));
  if (order_.size() > remember_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

}  // namespace qsip::client
