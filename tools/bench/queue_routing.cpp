#include "queue_routing.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "frame_text.hpp"

namespace qsip::bench {

QueueRouting::QueueRouting(LoadTarget target, const RegisterMessages& registers, QueueRoutingOptions options)
    : options_(std::move(options)),
      registers_(registers),
      pool_(std::move(target), [this](std::size_t session, std::string_view body) { on_frame(session, body); }),
      stamp_(core::format_timestamp(std::chrono::system_clock::now())),
      queue_("qb" + options_.run_id),
      free_since_(options_.agents + 1) {}

std::string QueueRouting::agent(std::size_t i) const { return "u-qb" + options_.run_id + "-a" + std::to_string(i); }

void QueueRouting::agent_send(std::size_t session, std::string_view type, const std::string& payload) {
  const std::string id = "q" + std::to_string(next_id_++);
  const std::string user = session == 0 ? std::string(kAdmin) : agent(session - 1);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = stamp_;
  f.type = type;
  f.from_user_id = user;
  f.from_device_id = "d";
  pool_.send(session, core::build_envelope(f, payload));
}

void QueueRouting::admin_send(const std::string& payload) {
  ++admin_outstanding_;
  agent_send(0, "QUEUE", payload);
}

void QueueRouting::enqueue_one() {
  std::string p;
  core::JsonWriter(p).begin_object().member("action", "enqueue").member("queue_id", queue_)
      .member("customer_id", "u-qb" + options_.run_id + "-c" + std::to_string(next_customer_++)).end_object();
  admin_send(p);
}

void QueueRouting::setup(std::chrono::seconds timeout) {
  std::vector<std::string> registers{registers_.make(kAdmin, "d", "reg-admin")};
  for (std::size_t i = 0; i < options_.agents; ++i) registers.push_back(registers_.make(agent(i), "d", "reg-a" + std::to_string(i)));
  const auto registered = pool_.open(registers, options_.concurrency, timeout);
  if (registered != registers.size())
    throw std::runtime_error("queue: " + std::to_string(registered) + " of " + std::to_string(registers.size()) +
                             " sessions registered");
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  std::string p;
  core::JsonWriter(p).begin_object().member("action", "configure_queue").member("queue_id", queue_)
      .member("max_size", std::int64_t{100000}).end_object();
  admin_send(p);
  if (!pool_.run_until([&] { return admin_idle(); }, wait)) throw std::runtime_error("queue: configure_queue unanswered");
  std::size_t configured = 0;
  while (configured < options_.agents) {
    while (configured < options_.agents && admin_outstanding_ < options_.window) {
      std::string a;
      core::JsonWriter(a).begin_object().member("action", "configure_agent").member("agent_id", agent(configured++))
          .end_object();
      admin_send(a);
    }
    if (!pool_.run_until([&] { return admin_outstanding_ < options_.window; }, wait))
      throw std::runtime_error("queue: configure_agent unanswered");
  }
  while (next_customer_ < options_.waiting) {
    while (next_customer_ < options_.waiting && admin_outstanding_ < options_.window) enqueue_one();
    if (!pool_.run_until([&] { return admin_outstanding_ < options_.window; }, wait))
      throw std::runtime_error("queue: enqueue unanswered");
  }
  if (!pool_.run_until([&] { return admin_idle(); }, wait)) throw std::runtime_error("queue: enqueue unanswered");
  if (result_.refused) throw std::runtime_error("queue: the server refused setup requests (is " + std::string(kAdmin) +
                                                " in [auth] server_admins?)");
}

void QueueRouting::on_frame(std::size_t session, std::string_view body) {
  if (session == 0) {  // the admin's answers
    if (contains(body, R"("type":"ERROR")")) ++result_.refused;
    if (admin_outstanding_ > 0) --admin_outstanding_;
    while (refill_ > 0 && admin_outstanding_ < options_.window) {
      --refill_;
      enqueue_one();
    }
    return;
  }
  if (!timed_) return;
  const auto item = member(body, R"("item_id":")");
  // Agents serve every queue their skills cover: answer in the offer's queue.
  const auto queue = member(body, R"("queue_id":")");
  if (contains(body, R"("action":"offer_item")")) {
    ++result_.offers;
    offer_ms_.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - free_since_[session]).count());
    std::string p;
    core::JsonWriter(p).begin_object().member("action", "agent_accept").member("queue_id", queue)
        .member("item_id", item).end_object();
    agent_send(session, "QUEUE", p);
  } else if (contains(body, R"("state":"ASSIGNED_TO_AGENT")")) {
    ++result_.accepted;
    std::string p;
    core::JsonWriter(p).begin_object().member("action", "dequeue").member("queue_id", queue)
        .member("item_id", item).end_object();
    agent_send(session, "QUEUE", p);
  } else if (contains(body, R"("state":"RESOLVED")")) {
    ++result_.resolved;
    free_since_[session] = std::chrono::steady_clock::now();
    ++refill_;
    while (refill_ > 0 && admin_outstanding_ < options_.window) {
      --refill_;
      enqueue_one();
    }
  } else if (contains(body, R"("type":"ERROR")")) {
    if (result_.refused++ == 0) std::fprintf(stderr, "qsip-bench: first refusal: %.*s\n", static_cast<int>(body.size()), body.data());
  }
}

QueueRouting::Result QueueRouting::run() {
  timed_ = true;
  const auto origin = std::chrono::steady_clock::now();
  std::fill(free_since_.begin(), free_since_.end(), origin);
  for (std::size_t i = 1; i <= options_.agents; ++i) agent_send(i, "PRESENCE", R"({"status":"available"})");
  const auto stop_at = origin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(options_.seconds));
  pool_.run_until([&] { return std::chrono::steady_clock::now() >= stop_at; },
                  std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - origin) + std::chrono::seconds(1));
  result_.elapsed = std::chrono::steady_clock::now() - origin;
  result_.sessions_lost = pool_.closed();
  std::sort(offer_ms_.begin(), offer_ms_.end());
  if (!offer_ms_.empty()) {
    result_.offer_p50_ms = offer_ms_[offer_ms_.size() / 2];
    result_.offer_p99_ms = offer_ms_[offer_ms_.size() * 99 / 100];
  }
  return result_;
}

}  // namespace qsip::bench
