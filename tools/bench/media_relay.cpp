#include "media_relay.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "bench_envelope.hpp"
#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/varint.hpp"
#include "frame_text.hpp"

namespace qsip::bench {
namespace {

constexpr std::uint64_t kSenderFlow = 1;
constexpr std::size_t kRtpHeader = 12;
constexpr std::size_t kMaxLatencySamples = 1 << 20;
constexpr std::string_view kInvitePayload =
    R"({"media_types":["audio"],"codecs":{"audio":["opus/48000/2"]},"tracks":[{"track_id":"a","kind":"audio","codec":"opus/48000/2","flow_id":1}]})";
constexpr std::string_view kAcceptPayload =
    R"({"codecs":{"audio":["opus/48000/2"]},"tracks":[{"track_id":"r","kind":"audio","codec":"opus/48000/2","flow_id":2}]})";

double percentile_ms(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))] / 1000.0;
}

}  // namespace

MediaRelay::MediaRelay(LoadTarget target, const RegisterMessages& registers, MediaRelayOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      next_seq_(options_.calls, 0) {
  if (options_.parties < 2) throw std::runtime_error("relay: --parties must be at least 2");
  const std::size_t least = core::varint_size(kSenderFlow) + kRtpHeader + sizeof(std::int64_t);
  if (options_.size < least || options_.size > 1200)
    throw std::runtime_error("relay: --size must be between " + std::to_string(least) + " and 1200 bytes");
  pool_.on_datagram([this](std::size_t session, std::span<const std::uint8_t> d) { on_datagram(session, d); });
  // A paced sender queues a millisecond's worth at once; give it room.
  pool_.set_max_queued_datagrams(std::max<std::size_t>(256, static_cast<std::size_t>(options_.rate / 100)));
  packet_.resize(options_.size, 0x5a);
}

// Session s is party s % parties of call s / parties; party 0 is the sender.
std::string MediaRelay::user_of(std::size_t session) const {
  return "u-relay" + options_.run_id + "-" + std::to_string(session / options_.parties) + "-" +
         std::to_string(session % options_.parties);
}

std::string MediaRelay::envelope(std::size_t session, std::string_view type, std::string_view id,
                                 std::string_view session_id, std::string_view to_user, std::string_view to_group,
                                 std::string_view payload) const {
  return bench_envelope(type, id, stamp_, user_of(session), to_user, to_group, session_id, payload);
}

void MediaRelay::setup(std::chrono::seconds timeout) {
  const std::size_t sessions = options_.calls * options_.parties;
  std::vector<std::string> registers;
  for (std::size_t s = 0; s < sessions; ++s) registers.push_back(registers_.make(user_of(s), "d", "reg-" + std::to_string(s)));
  const auto registered = pool_.open(registers, options_.concurrency, timeout);
  if (registered != registers.size())
    throw std::runtime_error("relay: " + std::to_string(registered) + " of " + std::to_string(sessions) +
                             " sessions registered");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  auto failed = [&](const std::string& what) {
    return std::runtime_error("relay: " + what + (first_setup_error_.empty() ? "" : ": " + first_setup_error_));
  };
  const bool group = options_.parties > 2;
  if (group) {
    // The senders create one public group per call, the others join it.
    auto group_request = [&](std::size_t session, const char* action, const char* id) {
      std::string payload;
      core::JsonWriter(payload)
          .begin_object()
          .member("action", action)
          .member("group_id", group_id(session / options_.parties))
          .member("visibility", "public")
          .end_object();
      pool_.send(session, envelope(session, "GROUP", id, {}, {}, {}, payload));
    };
    for (std::size_t c = 0; c < options_.calls; ++c) group_request(c * options_.parties, "create", "create");
    if (!pool_.run_until([&] { return groups_ready_ == options_.calls || setup_errors_ > 0; }, left()) || setup_errors_)
      throw failed("group create");
    for (std::size_t s = 0; s < sessions; ++s)
      if (s % options_.parties != 0) group_request(s, "join", "join");
    const std::size_t members = options_.calls * (options_.parties - 1);
    if (!pool_.run_until([&] { return joined_ == members || setup_errors_ > 0; }, left()) || setup_errors_)
      throw failed(std::to_string(joined_) + " of " + std::to_string(members) + " joined");
  }
  for (std::size_t c = 0; c < options_.calls; ++c) {
    const std::size_t sender = c * options_.parties;
    const std::string callee = group ? std::string() : user_of(sender + 1);
    const std::string to_group = group ? group_id(c) : std::string();
    pool_.send(sender, envelope(sender, "INVITE", "invite", call_id(c), callee, to_group, kInvitePayload));
  }
  // Every receiver ACCEPTs when its INVITE arrives (on_frame); the calls are
  // up once every ACCEPT is answered.
  const std::size_t receivers = options_.calls * (options_.parties - 1);
  if (!pool_.run_until([&] { return accepted_ == receivers || setup_errors_ > 0; }, left()) || setup_errors_)
    throw failed(std::to_string(accepted_) + " of " + std::to_string(receivers) + " accepted");
  // A short settle so the last ACCEPTs' routes are in place before timing.
  pool_.run_until([] { return false; }, std::chrono::milliseconds(200));
}

void MediaRelay::on_frame(std::size_t session, std::string_view body) {
  if (timed_) return;
  if (contains(body, R"("type":"ERROR")")) {
    if (setup_errors_++ == 0) first_setup_error_ = std::string(body);
    return;
  }
  if (contains(body, R"("type":"RECEIPT")")) {
    if (contains(body, R"("target_message_id":"create")")) ++groups_ready_;
    else if (contains(body, R"("target_message_id":"join")")) ++joined_;
    else if (contains(body, R"("target_message_id":"accept")")) ++accepted_;
    return;
  }
  if (session % options_.parties != 0 && contains(body, R"("type":"INVITE")")) {
    const auto sid = member(body, R"("session_id":")");
    pool_.send(session, envelope(session, "ACCEPT", "accept", sid, {}, {}, kAcceptPayload));
  }
}

// One media packet: flow id, RTP header (version 2, payload type 111,
// sequence, timestamp, SSRC = call), the send time, filler.
void MediaRelay::send_one(std::size_t call) {
  std::uint8_t* p = packet_.data();
  std::size_t at = core::varint_encode(kSenderFlow, p);
  const std::uint16_t seq = next_seq_[call]++;
  const std::uint32_t ts = static_cast<std::uint32_t>(seq) * 960;
  const std::uint32_t ssrc = static_cast<std::uint32_t>(call + 1);
  p[at] = 0x80;
  p[at + 1] = 111;
  p[at + 2] = static_cast<std::uint8_t>(seq >> 8);
  p[at + 3] = static_cast<std::uint8_t>(seq);
  for (int i = 0; i < 4; ++i) p[at + 4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[at + 8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  at += kRtpHeader;
  const std::int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
  std::memcpy(p + at, &now_us, sizeof now_us);
  if (pool_.send_datagram(call * options_.parties, packet_)) ++result_.sent;
  else ++result_.not_queued;
}

void MediaRelay::on_datagram(std::size_t session, std::span<const std::uint8_t> d) {
  if (!timed_ || session % options_.parties == 0) return;
  auto flow = core::varint_decode(d);
  if (!flow || d.size() < flow->size + kRtpHeader + sizeof(std::int64_t)) return;
  ++result_.delivered;
  if (latency_samples_us_.size() >= kMaxLatencySamples) return;
  std::int64_t sent_us = 0;
  std::memcpy(&sent_us, d.data() + flow->size + kRtpHeader, sizeof sent_us);
  const std::int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - origin_).count();
  latency_samples_us_.push_back(static_cast<std::uint32_t>(std::clamp<std::int64_t>(now_us - sent_us, 0, 1 << 30)));
}

MediaRelay::Result MediaRelay::run(std::chrono::milliseconds drain) {
  timed_ = true;
  origin_ = std::chrono::steady_clock::now();
  const auto stop_at = origin_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(options_.seconds));
  const auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin_) + std::chrono::seconds(1);
  std::uint64_t queued = 0;
  std::size_t next_call = 0;
  pool_.run_until(
      [&] {
        const auto now = std::chrono::steady_clock::now();
        const auto due = static_cast<std::uint64_t>(std::chrono::duration<double>(now - origin_).count() * options_.rate);
        for (; queued < due; ++queued) {
          send_one(next_call);
          next_call = (next_call + 1) % options_.calls;
        }
        return now >= stop_at;
      },
      budget);
  result_.sending = std::chrono::steady_clock::now() - origin_;
  result_.expected = result_.sent * (options_.parties - 1);
  pool_.run_until([&] { return result_.delivered >= result_.expected; }, drain);
  result_.sessions_lost = pool_.closed();
  std::sort(latency_samples_us_.begin(), latency_samples_us_.end());
  result_.p50_ms = percentile_ms(latency_samples_us_, 0.50);
  result_.p99_ms = percentile_ms(latency_samples_us_, 0.99);
  result_.max_ms = latency_samples_us_.empty() ? 0 : latency_samples_us_.back() / 1000.0;
  return result_;
}

}  // namespace qsip::bench
