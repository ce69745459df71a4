#include "presence_fanout.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/envelope_builder.hpp"
#include "frame_text.hpp"

namespace qsip::bench {
namespace {

// Frames are the server's compact JSON: member patterns are found as text,
// which keeps the watchers' side cheap (it runs on one core, like the server).
constexpr std::string_view kPresence = R"("type":"PRESENCE")";
constexpr std::string_view kReceipt = R"("type":"RECEIPT")";
constexpr std::string_view kError = R"("type":"ERROR")";

}  // namespace

PresenceFanout::PresenceFanout(LoadTarget target, const RegisterMessages& registers, PresenceFanoutOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      star_pattern_(R"("user_id":")" + options_.star + "\""),
      heard_(options_.watchers + 1, false),
      received_(options_.watchers + 1, 0) {}

std::string PresenceFanout::user_of(std::size_t session) const {
  return session == 0 ? options_.star : "u-watcher-" + std::to_string(session);
}

std::string PresenceFanout::roster(std::size_t session, const char* action, const std::string& contact) const {
  std::string id = std::string(action) + "-" + contact;
  std::string user = user_of(session);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = stamp_;
  f.type = "ROSTER";
  f.from_user_id = user;
  f.from_device_id = session == 0 ? "d-star" : "d-watcher";
  return core::build_envelope(
      f, std::string(R"({"action":")") + action + R"(","contact_id":")" + contact + R"(","contact_info":{}})");
}

void PresenceFanout::on_frame(std::size_t session, std::string_view body) {
  if (session == 0) {  // the watched user: answers to its approvals, then to its changes
    if (contains(body, kError)) {
      if (timed_) {
        ++refused_;
      } else if (setup_errors_++ == 0) {
        first_setup_error_ = std::string(body);
      }
    } else if (contains(body, kReceipt)) {
      if (timed_)
        ++ok_;
      else if (contains(body, R"("target_message_id":"approve-)"))
        --approvals_pending_;
    }
    return;
  }
  if (contains(body, kPresence) && contains(body, star_pattern_)) {
    if (timed_) {
      ++deliveries_;
      ++received_[session];
      last_delivery_ = std::chrono::steady_clock::now();
    } else if (!heard_[session]) {
      heard_[session] = true;
      ++heard_count_;
    }
  } else if (!timed_ && contains(body, kError)) {
    if (setup_errors_++ == 0) first_setup_error_ = std::string(body);
  } else if (!timed_ && contains(body, kReceipt) && contains(body, R"("target_message_id":"add-)")) {
    // Approved in an earlier run against the same server: nothing to ask.
    if (contains(body, R"("subscription":"to")") || contains(body, R"("subscription":"both")")) return;
    ++approvals_pending_;
    pool_.send(0, roster(0, "approve", user_of(session)));
  }
}

void PresenceFanout::setup(std::chrono::seconds timeout) {
  std::vector<std::string> messages;
  messages.reserve(options_.watchers + 1);
  for (std::size_t i = 0; i <= options_.watchers; ++i)
    messages.push_back(registers_.make(user_of(i), i == 0 ? "d-star" : "d-watcher", "register-" + std::to_string(i)));
  std::size_t registered = pool_.open(messages, options_.concurrency, timeout);
  if (registered != messages.size())
    throw std::runtime_error("setup: " + std::to_string(registered) + " of " + std::to_string(messages.size()) +
                             " sessions registered");
  for (std::size_t i = 1; i <= options_.watchers; ++i) pool_.send(i, roster(i, "add", options_.star));
  bool ready = pool_.run_until(
      [&] {
        return (heard_count_ == options_.watchers && approvals_pending_ == 0) || setup_errors_ > 0 ||
               pool_.closed() > 0;
      },
      timeout);
  if (setup_errors_ > 0) throw std::runtime_error("setup: the server refused: " + first_setup_error_);
  if (!ready || pool_.closed() > 0)
    throw std::runtime_error("setup: " + std::to_string(heard_count_) + " of " + std::to_string(options_.watchers) +
                             " watchers subscribed, " + std::to_string(pool_.closed()) + " sessions closed");
}

void PresenceFanout::send_change() {
  std::string id = "presence-" + std::to_string(sent_);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = stamp_;
  f.type = "PRESENCE";
  f.from_user_id = options_.star;
  f.from_device_id = "d-star";
  // Alternating, so that every change changes the aggregate watchers hear.
  const char* payload = sent_ % 2 == 0 ? R"({"status":"available"})" : R"({"status":"away"})";
  if (!pool_.send(0, core::build_envelope(f, payload))) throw std::runtime_error("the watched user's session is gone");
  ++sent_;
}

PresenceFanout::Result PresenceFanout::run(std::chrono::milliseconds drain) {
  using Clock = std::chrono::steady_clock;
  timed_ = true;
  std::fill(received_.begin(), received_.end(), 0);
  std::size_t closed_before = pool_.closed();
  auto start = Clock::now();
  auto send_until = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.seconds));
  auto last_send = start;
  pool_.run_until(
      [&] {
        auto now = Clock::now();
        if (now >= send_until) return true;
        std::uint64_t due = std::numeric_limits<std::uint64_t>::max();
        if (options_.rate > 0)
          due = static_cast<std::uint64_t>(std::chrono::duration<double>(now - start).count() * options_.rate) + 1;
        while (sent_ < due && sent_ - ok_ - refused_ < options_.window) {
          send_change();
          last_send = now;
        }
        return false;
      },
      std::chrono::duration_cast<std::chrono::milliseconds>(send_until - start) + std::chrono::seconds(1));
  // What is still on its way: the answers, then the deliveries, until all
  // expected have come or nothing has arrived for half a second.
  auto quiet = std::chrono::milliseconds(500);
  pool_.run_until(
      [&] {
        bool answered = ok_ + refused_ == sent_;
        bool all = deliveries_ >= ok_ * options_.watchers;
        return answered && (all || Clock::now() - std::max(last_delivery_, last_send) > quiet);
      },
      drain);
  Result r;
  r.changes_sent = sent_;
  r.changes_ok = ok_;
  r.changes_refused = refused_;
  r.deliveries = deliveries_;
  auto [lo, hi] = std::minmax_element(received_.begin() + 1, received_.end());
  r.min_per_watcher = lo == received_.end() ? 0 : *lo;
  r.max_per_watcher = hi == received_.end() ? 0 : *hi;
  r.sessions_lost = pool_.closed() - closed_before;
  r.sending = last_send - start;
  r.elapsed = (deliveries_ ? std::max(last_delivery_, last_send) : last_send) - start;
  return r;
}

}  // namespace qsip::bench
