#include "group_messages.hpp"

#include <stdexcept>

#include "core/envelope_builder.hpp"
#include "frame_text.hpp"
#include "core/json_writer.hpp"

namespace qsip::bench {
GroupMessages::GroupMessages(LoadTarget target, const RegisterMessages& registers, GroupMessagesOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      group_id_("g-bench" + options_.run_id),
      text_(options_.payload_bytes, 'x') {}

// Session 0 is the sender (and the group's owner); 1..members the members.
std::string GroupMessages::user_of(std::size_t session) const {
  return session == 0 ? "u-gsender" + options_.run_id : "u-gmember" + options_.run_id + "-" + std::to_string(session);
}

void GroupMessages::setup(std::chrono::seconds timeout) {
  std::vector<std::string> registers;
  for (std::size_t s = 0; s <= options_.members; ++s)
    registers.push_back(registers_.make(user_of(s), "d", "reg-" + std::to_string(s)));
  const auto registered = pool_.open(registers, options_.concurrency, timeout);
  if (registered != registers.size())
    throw std::runtime_error("group-messages: " + std::to_string(registered) + " of " + std::to_string(registers.size()) +
                             " sessions registered");
  auto group = [&](std::size_t session, const char* action, const char* id) {
    std::string payload;
    core::JsonWriter(payload)
        .begin_object()
        .member("action", action)
        .member("group_id", group_id_)
        .member("visibility", "public")
        .end_object();
    const auto user = user_of(session);
    core::EnvelopeFields f;
    f.message_id = id;
    f.timestamp = stamp_;
    f.type = "GROUP";
    f.from_user_id = user;
    f.from_device_id = "d";
    pool_.send(session, core::build_envelope(f, payload));
  };
  group(0, "create", "create");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!pool_.run_until([&] { return joined_ == 1 || setup_errors_ > 0; }, std::chrono::seconds(10)) || setup_errors_)
    throw std::runtime_error("group-messages: create failed: " + first_setup_error_);
  joined_ = 0;
  for (std::size_t s = 1; s <= options_.members; ++s) group(s, "join", "join");
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (!pool_.run_until([&] { return joined_ == options_.members || setup_errors_ > 0; }, left) || setup_errors_)
    throw std::runtime_error("group-messages: " + std::to_string(joined_) + " joined; " + first_setup_error_);
}

void GroupMessages::send_one() {
  std::string payload;
  core::JsonWriter(payload).begin_object().member("message_type", "text").member("content", text_).end_object();
  const std::string id = "gb" + std::to_string(next_seq_++);
  const auto user = user_of(0);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = stamp_;
  f.type = "MESSAGE";
  f.from_user_id = user;
  f.from_device_id = "d";
  f.to_group_id = group_id_;
  if (pool_.send(0, core::build_envelope(f, payload))) {
    ++result_.sent;
    ++outstanding_;
  }
}

void GroupMessages::on_frame(std::size_t session, std::string_view body) {
  if (!timed_) {
    if (contains(body, R"("type":"ERROR")")) {
      if (setup_errors_++ == 0) first_setup_error_ = std::string(body);
    } else if (contains(body, R"("type":"RECEIPT")") &&
               (contains(body, R"("target_message_id":"join")") || contains(body, R"("target_message_id":"create")"))) {
      ++joined_;
    }
    return;
  }
  if (session == 0) {
    if (contains(body, R"("type":"ERROR")")) {
      ++result_.refused;
    } else if (contains(body, R"("status":"delivered_to_server")")) {
      ++result_.committed;
    } else {
      return;
    }
    if (outstanding_ > 0) --outstanding_;
    if (sending_) send_one();
    return;
  }
  if (!contains(body, R"("type":"MESSAGE")")) return;
  ++result_.deliveries;
  last_delivery_ = std::chrono::steady_clock::now();
  if (!options_.acknowledge) return;
  const auto id = member(body, R"("message_id":")");
  std::string payload;
  core::JsonWriter(payload).begin_object().member("target_message_id", id).member("status", "delivered_to_client").end_object();
  const std::string ack_id = "a" + std::to_string(session) + "-" + std::string(id);
  const auto user = user_of(session), to = user_of(0);
  core::EnvelopeFields f;
  f.message_id = ack_id;
  f.timestamp = stamp_;
  f.type = "RECEIPT";
  f.from_user_id = user;
  f.from_device_id = "d";
  f.to_user_id = to;
  pool_.send(session, core::build_envelope(f, payload));
}

GroupMessages::Result GroupMessages::run(std::chrono::milliseconds drain) {
  timed_ = sending_ = true;
  origin_ = std::chrono::steady_clock::now();
  const auto stop_at = origin_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(options_.seconds));
  for (std::size_t w = 0; w < options_.window; ++w) send_one();
  pool_.run_until([&] { return std::chrono::steady_clock::now() >= stop_at; },
                  std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin_) + std::chrono::seconds(1));
  sending_ = false;
  result_.sending = std::chrono::steady_clock::now() - origin_;
  const auto expected = [&] { return result_.committed * options_.members; };
  pool_.run_until([&] { return result_.committed + result_.refused >= result_.sent && result_.deliveries >= expected(); },
                  drain);
  result_.elapsed = last_delivery_ - origin_;
  result_.sessions_lost = pool_.closed();
  return result_;
}

}  // namespace qsip::bench
