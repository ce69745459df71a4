#include "client/pending_requests.hpp"

#include "core/envelope_builder.hpp"

namespace qsip::client {

Message local_error(int code, std::string_view reason, std::string_view detail, std::string_view target_message_id) {
  core::Failure failure;
  failure.code = static_cast<core::ErrorCode>(code);
  failure.detail = std::string(detail);
  failure.target_message_id = std::string(target_message_id);
  core::EnvelopeFields f;
  std::string id = "local-" + std::string(target_message_id);
  std::string now = core::format_timestamp(std::chrono::system_clock::now());
  f.message_id = id;
  f.timestamp = now;
  f.from_user_id = "libqsip";
  f.from_device_id = "local";
  std::string json = core::build_error(failure, f);
  // The registry's phrase unless the caller names another.
  if (!reason.empty() && reason != core::reason_phrase(failure.code)) {
    auto at = json.find(std::string(core::reason_phrase(failure.code)));
    if (at != std::string::npos) json.replace(at, core::reason_phrase(failure.code).size(), reason);
  }
  return *Message::parse(std::move(json));
}

std::future<Message> PendingRequests::add(std::string message_id, std::string type, Clock::time_point deadline) {
  std::promise<Message> promise;
  auto future = promise.get_future();
  add(std::move(message_id), std::move(type), deadline, std::move(promise));
  return future;
}

void PendingRequests::add(std::string message_id, std::string type, Clock::time_point deadline,
                          std::promise<Message> promise) {
  pending_.insert_or_assign(std::move(message_id), Entry{std::move(type), deadline, std::move(promise)});
}

bool PendingRequests::resolve(const Message& message) {
  auto target = message.payload_string("target_message_id");
  if (!target) return false;
  auto it = pending_.find(*target);
  if (it == pending_.end()) return false;
  std::string_view type = message.type();
  if (type != "RECEIPT" && type != "ERROR" && type != it->second.type) return false;
  it->second.promise.set_value(message);
  pending_.erase(it);
  return true;
}

void PendingRequests::expire(Clock::time_point now) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      it->second.promise.set_value(local_error(4081, "RequestTimeout", "no answer in time", it->first));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
}

void PendingRequests::fail_all(int code, std::string_view reason, std::string_view detail) {
  for (auto& [id, entry] : pending_) entry.promise.set_value(local_error(code, reason, detail, id));
  pending_.clear();
}

std::optional<PendingRequests::Clock::time_point> PendingRequests::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [id, entry] : pending_)
    if (!earliest || entry.deadline < *earliest) earliest = entry.deadline;
  return earliest;
}

}  // namespace qsip::client
