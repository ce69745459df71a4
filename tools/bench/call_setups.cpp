#include "call_setups.hpp"

#include <algorithm>
#include <stdexcept>

#include "bench_envelope.hpp"
#include "core/envelope_builder.hpp"
#include "frame_text.hpp"

namespace qsip::bench {
namespace {

constexpr std::string_view kInvitePayload = R"({"media_types":["audio"],"codecs":{"audio":["opus/48000/2"]}})";
constexpr std::string_view kAcceptPayload = R"({"codecs":{"audio":["opus/48000/2"]}})";
constexpr std::string_view kEndPayload = R"({"reason":"hangup"})";

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
}

// Session ids are "c<run>.<pair>.<sequence>": the pair is read back from
// every frame, so neither side needs a lookup.
std::size_t pair_of(std::string_view session_id) {
  auto first = session_id.find('.');
  auto second = session_id.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return static_cast<std::size_t>(-1);
  std::size_t pair = 0;
  for (char c : session_id.substr(first + 1, second - first - 1)) {
    if (c < '0' || c > '9') return static_cast<std::size_t>(-1);
    pair = pair * 10 + static_cast<std::size_t>(c - '0');
  }
  return pair;
}

}  // namespace

CallSetups::CallSetups(LoadTarget target, const RegisterMessages& registers, CallSetupsOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      busy_(options_.pairs, false),
      next_call_(options_.pairs, 0),
      invited_at_us_(options_.pairs, 0) {}

std::string CallSetups::caller(std::size_t pair) const { return "u-call" + options_.run_id + "-a" + std::to_string(pair); }
std::string CallSetups::callee(std::size_t pair) const { return "u-call" + options_.run_id + "-b" + std::to_string(pair); }

void CallSetups::setup(std::chrono::seconds timeout) {
  // Sessions 0..pairs-1 are the callees (registered first, so that they are
  // online when the calls start), pairs..2*pairs-1 the callers.
  std::vector<std::string> registers;
  for (std::size_t p = 0; p < options_.pairs; ++p) registers.push_back(registers_.make(callee(p), "d", "reg-b" + std::to_string(p)));
  for (std::size_t p = 0; p < options_.pairs; ++p) registers.push_back(registers_.make(caller(p), "d", "reg-a" + std::to_string(p)));
  const auto registered = pool_.open(registers, options_.concurrency, timeout);
  if (registered != registers.size())
    throw std::runtime_error("calls: " + std::to_string(registered) + " of " + std::to_string(registers.size()) +
                             " sessions registered");
}

std::string CallSetups::envelope(std::string_view type, std::size_t pair, bool from_caller, std::string_view session_id,
                                 std::string_view payload) {
  const std::string id = "m" + options_.run_id + "." + std::to_string(++message_seq_);
  const auto from = from_caller ? caller(pair) : callee(pair);
  const auto to = from_caller ? callee(pair) : caller(pair);
  return bench_envelope(type, id, stamp_, from, to, {}, session_id, payload);
}

void CallSetups::invite(std::size_t pair) {
  const std::string session_id =
      "c" + options_.run_id + "." + std::to_string(pair) + "." + std::to_string(next_call_[pair]++);
  invited_at_us_[pair] =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
  if (pool_.send(options_.pairs + pair, envelope("INVITE", pair, true, session_id, kInvitePayload))) {
    busy_[pair] = true;
    ++result_.invites;
  }
}

void CallSetups::on_frame(std::size_t session, std::string_view body) {
  if (!timed_) return;
  const bool at_callee = session < options_.pairs;
  const std::size_t pair = at_callee ? session : session - options_.pairs;
  // The RECEIPTs answering our own requests carry nothing we wait for.
  if (contains(body, R"("type":"RECEIPT")")) return;
  if (contains(body, R"("type":"ERROR")") || contains(body, R"("type":"REJECT")")) {
    ++result_.failures;
    if (!at_callee && busy_[pair]) {
      busy_[pair] = false;
      if (sending_ && options_.rate == 0) invite(pair);
    }
    return;
  }
  const auto session_id = member(body, R"("session_id":")");
  if (pair_of(session_id) != pair) return;
  if (at_callee) {
    if (contains(body, R"("type":"INVITE")")) {
      pool_.send(session, envelope("ACCEPT", pair, false, session_id, kAcceptPayload));
    } else if (contains(body, R"("type":"END")")) {
      if (!contains(body, R"("reason":"hangup")")) {
        ++result_.failures;  // the server ended it (timeout, connection lost)
        return;
      }
      ++result_.completed;
      last_end_ = std::chrono::steady_clock::now();
    }
    return;
  }
  if (contains(body, R"("type":"ACCEPT")")) {
    const auto now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
    latencies_ms_.push_back(static_cast<double>(now_us - invited_at_us_[pair]) / 1000.0);
    pool_.send(session, envelope("END", pair, true, session_id, kEndPayload));
    busy_[pair] = false;
    if (sending_ && options_.rate == 0) invite(pair);
  } else if (contains(body, R"("type":"END")")) {
    ++result_.failures;  // the server ended the caller's call
    busy_[pair] = false;
    if (sending_ && options_.rate == 0) invite(pair);
  }
}

CallSetups::Result CallSetups::run(std::chrono::milliseconds drain) {
  timed_ = sending_ = true;
  origin_ = last_end_ = std::chrono::steady_clock::now();
  const auto stop_at = origin_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(options_.seconds));
  const auto budget =
      std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin_) + std::chrono::seconds(1);
  if (options_.rate == 0) {
    for (std::size_t p = 0; p < options_.pairs; ++p) invite(p);
    pool_.run_until([&] { return std::chrono::steady_clock::now() >= stop_at; }, budget);
  } else {
    // Paced: each wake starts the calls the rate allows so far, round robin
    // over the pairs; a pair with a call in flight is skipped until the next.
    std::size_t next_pair = 0;
    pool_.run_until(
        [&] {
          const auto now = std::chrono::steady_clock::now();
          const auto due = static_cast<std::uint64_t>(std::chrono::duration<double>(now - origin_).count() * options_.rate);
          for (std::size_t tried = 0; result_.invites < due && tried < options_.pairs; ++tried) {
            if (!busy_[next_pair]) invite(next_pair);
            next_pair = (next_pair + 1) % options_.pairs;
          }
          return now >= stop_at;
        },
        budget);
  }
  sending_ = false;
  result_.sending = std::chrono::steady_clock::now() - origin_;
  pool_.run_until([&] { return result_.completed + result_.failures >= result_.invites; }, drain);
  result_.elapsed = last_end_ - origin_;
  result_.sessions_lost = pool_.closed();
  std::sort(latencies_ms_.begin(), latencies_ms_.end());
  result_.p50_ms = percentile(latencies_ms_, 0.50);
  result_.p90_ms = percentile(latencies_ms_, 0.90);
  result_.p99_ms = percentile(latencies_ms_, 0.99);
  result_.max_ms = latencies_ms_.empty() ? 0 : latencies_ms_.back();
  return result_;
}

}  // namespace qsip::bench
