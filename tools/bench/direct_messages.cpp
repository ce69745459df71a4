#include "direct_messages.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/envelope_builder.hpp"
#include "frame_text.hpp"
#include "core/json_writer.hpp"

namespace qsip::bench {
namespace {

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

}  // namespace

DirectMessages::DirectMessages(LoadTarget target, const RegisterMessages& registers, DirectMessagesOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      text_(options_.payload_bytes, 'x'),
      outstanding_(options_.pairs, 0),
      next_seq_(options_.pairs, 0) {}

std::string DirectMessages::sender(std::size_t pair) const {
  return "u-dm" + options_.run_id + "-s" + std::to_string(pair);
}
std::string DirectMessages::recipient(std::size_t pair) const {
  return "u-dm" + options_.run_id + "-r" + std::to_string(pair);
}

void DirectMessages::setup(std::chrono::seconds timeout) {
  // Sessions 0..pairs-1 are the recipients (registered first, so that they
  // exist when the senders write), pairs..2*pairs-1 the senders.
  std::vector<std::string> registers;
  for (std::size_t p = 0; p < options_.pairs; ++p) registers.push_back(registers_.make(recipient(p), "d", "reg-r" + std::to_string(p)));
  for (std::size_t p = 0; p < options_.pairs; ++p) registers.push_back(registers_.make(sender(p), "d", "reg-s" + std::to_string(p)));
  const auto registered = pool_.open(registers, options_.concurrency, timeout);
  if (registered != registers.size())
    throw std::runtime_error("direct-messages: " + std::to_string(registered) + " of " + std::to_string(registers.size()) +
                             " sessions registered");
}

void DirectMessages::send_one(std::size_t pair) {
  const auto now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
  // The id carries the pair and the send time, so the recipient measures latency without a lookup.
  std::string id = "b" + std::to_string(pair) + "." + std::to_string(next_seq_[pair]++) + "." + std::to_string(now_us);
  std::string payload;
  core::JsonWriter(payload).begin_object().member("message_type", "text").member("content", text_).end_object();
  const auto from = sender(pair), to = recipient(pair);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = stamp_;
  f.type = "MESSAGE";
  f.from_user_id = from;
  f.from_device_id = "d";
  f.to_user_id = to;
  if (pool_.send(options_.pairs + pair, core::build_envelope(f, payload))) {
    ++result_.sent;
    ++outstanding_[pair];
  }
}

void DirectMessages::on_frame(std::size_t session, std::string_view body) {
  if (!timed_) return;
  if (session < options_.pairs) {  // a recipient
    if (!contains(body, R"("type":"MESSAGE")")) return;
    auto id = member(body, R"("message_id":")");
    auto dot = id.rfind('.');
    if (dot == std::string_view::npos) return;
    const auto sent_us = std::stoll(std::string(id.substr(dot + 1)));
    const auto now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
    latencies_ms_.push_back(static_cast<double>(now_us - sent_us) / 1000.0);
    ++result_.delivered;
    last_delivery_ = std::chrono::steady_clock::now();
    const std::size_t pair = session;
    std::string payload;
    core::JsonWriter(payload)
        .begin_object()
        .member("target_message_id", id)
        .member("status", "delivered_to_client")
        .end_object();
    core::EnvelopeFields f;
    std::string ack_id = "a" + std::string(id);
    f.message_id = ack_id;
    f.timestamp = stamp_;
    f.type = "RECEIPT";
    const auto from = recipient(pair), to = sender(pair);
    f.from_user_id = from;
    f.from_device_id = "d";
    f.to_user_id = to;
    pool_.send(session, core::build_envelope(f, payload));
    return;
  }
  const std::size_t pair = session - options_.pairs;
  if (contains(body, R"("type":"ERROR")")) {
    ++result_.refused;
    if (outstanding_[pair] > 0) --outstanding_[pair];
  } else if (contains(body, R"("status":"delivered_to_server")")) {
    ++result_.committed;
    if (outstanding_[pair] > 0) --outstanding_[pair];
  } else if (contains(body, R"("status":"delivered_to_client")")) {
    ++result_.receipts;
    return;
  } else {
    return;
  }
  if (sending_ && options_.rate == 0) send_one(pair);
}

DirectMessages::Result DirectMessages::run(std::chrono::milliseconds drain) {
  timed_ = sending_ = true;
  origin_ = std::chrono::steady_clock::now();
  const auto stop_at = origin_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(options_.seconds));
  if (options_.rate == 0) {
    for (std::size_t p = 0; p < options_.pairs; ++p)
      for (std::size_t w = 0; w < options_.window; ++w) send_one(p);
    pool_.run_until([&] { return std::chrono::steady_clock::now() >= stop_at; },
                    std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin_) + std::chrono::seconds(1));
  } else {
    // Paced: each wake sends what the rate allows so far, round robin over pairs.
    std::size_t next_pair = 0;
    pool_.run_until(
        [&] {
          const auto now = std::chrono::steady_clock::now();
          const auto due = static_cast<std::uint64_t>(std::chrono::duration<double>(now - origin_).count() * options_.rate);
          // One pass over the pairs at most per wake: a pair whose window is
          // full (or whose session is gone) is skipped until the next.
          for (std::size_t tried = 0; result_.sent < due && tried < options_.pairs; ++tried) {
            if (outstanding_[next_pair] < options_.window) send_one(next_pair);
            next_pair = (next_pair + 1) % options_.pairs;
          }
          return now >= stop_at;
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin_) + std::chrono::seconds(1));
  }
  sending_ = false;
  result_.sending = std::chrono::steady_clock::now() - origin_;
  pool_.run_until([&] { return result_.committed + result_.refused >= result_.sent && result_.delivered >= result_.committed; },
                  drain);
  result_.elapsed = last_delivery_ - origin_;
  result_.sessions_lost = pool_.closed();
  std::sort(latencies_ms_.begin(), latencies_ms_.end());
  result_.p50_ms = percentile(latencies_ms_, 0.50);
  result_.p90_ms = percentile(latencies_ms_, 0.90);
  result_.p99_ms = percentile(latencies_ms_, 0.99);
  result_.max_ms = latencies_ms_.empty() ? 0 : latencies_ms_.back();
  return result_;
}

}  // namespace qsip::bench
