// qsip-bench: the load generator behind the transport figures in
// docs/performance.md. It opens many QUIC connections from one process (one
// UDP socket each) and reports rates beside the server's own CPU time and
// memory, read from /proc/<server pid>.
//
//   qsip-bench --server 127.0.0.1:4433 --insecure --server-pid PID connect --connections 20000
//   qsip-bench ... connect --resume            # session tickets, first message as 0-RTT
//   qsip-bench ... idle --connections 100000   # concurrent idle connections, memory each
//   qsip-bench ... login --signing-key DATA/token-signing-key.pem [--resume]  # connect + REGISTER + RECEIPT
//   qsip-bench ... presence --signing-key DATA/token-signing-key.pem --watchers 1000 --seconds 3  # fan-out
//   qsip-bench ... calls --signing-key DATA/token-signing-key.pem --pairs 100 [--rate 1000] [--duration 5]  # call set-ups
//   qsip-bench ... relay --signing-key DATA/token-signing-key.pem --parties 2|10 --rate 50000 [--size 200]  # relayed media
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "call_setups.hpp"
#include "connection_load.hpp"
#include "direct_messages.hpp"
#include "group_messages.hpp"
#include "media_relay.hpp"
#include "presence_fanout.hpp"
#include "queue_routing.hpp"
#include "register_messages.hpp"
#include "server_process.hpp"

namespace {

using qsip::bench::ConnectionLoad;

struct Options {
  std::string server = "127.0.0.1:4433";
  bool insecure = false;
  std::string pin;
  pid_t server_pid = 0;
  std::uint64_t connections = 5000;
  std::uint64_t concurrency = 200;
  bool resume = false;
  int hold_seconds = 5;
  std::string signing_key;
  int timeout_seconds = 300;
  qsip::bench::PresenceFanoutOptions presence;
  qsip::bench::DirectMessagesOptions messages;
  qsip::bench::GroupMessagesOptions group;
  qsip::bench::QueueRoutingOptions queue;
  qsip::bench::CallSetupsOptions calls;
  qsip::bench::MediaRelayOptions relay;
};

// One UDP socket per connection: 100,000 connections need as many files.
// Root may raise the hard limit too (up to fs.nr_open).
void raise_fd_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  rlimit wanted{1 << 20, 1 << 20};
  if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

qsip::bench::LoadTarget target(const Options& o) {
  qsip::bench::LoadTarget t;
  auto colon = o.server.rfind(':');
  t.host = o.server.substr(0, colon);
  t.port = static_cast<std::uint16_t>(std::stoi(o.server.substr(colon + 1)));
  if (!o.pin.empty()) {
    t.tls.check = qsip::quic::CertificateCheck::kPin;
    t.tls.pin_sha256 = o.pin;
  } else {
    t.tls.check = qsip::quic::CertificateCheck::kInsecure;
  }
  return t;
}

std::optional<qsip::bench::ProcessSample> sample(const Options& o) {
  return o.server_pid ? qsip::bench::sample_process(o.server_pid) : std::nullopt;
}

// Runs `load` (tickets first when resuming) and returns its result with the
// server's CPU microseconds per answered connection ("n/a" without /proc).
std::pair<ConnectionLoad::Result, std::string> measured_run(ConnectionLoad& load, const Options& o) {
  if (o.resume) load.prime_tickets(std::min<std::uint64_t>(o.connections, 2000));
  auto before = sample(o);
  auto r = load.run(o.connections, o.concurrency, o.resume, false, std::chrono::seconds(o.timeout_seconds));
  auto after = sample(o);
  std::string cpu = "n/a";
  if (before && after && r.answered)
    cpu = fmt::format("{:.0f}", (after->cpu_seconds - before->cpu_seconds) * 1e6 / static_cast<double>(r.answered));
  return {r, cpu};
}

int run_connect(const Options& o) {
  ConnectionLoad load(target(o));
  auto [r, cpu] = measured_run(load, o);
  double seconds = std::chrono::duration<double>(r.elapsed).count();
  std::cout << fmt::format(
      "workload=connect_{} connections={} answered={} failed={} resumed={} early_data={} seconds={:.2f} "
      "rate_per_s={:.0f} server_cpu_us_per_connection={}\n",
      o.resume ? "resumed" : "full", o.connections, r.answered, r.failed, r.resumed, r.early_data, seconds,
      static_cast<double>(r.answered) / seconds, cpu);
  return r.answered == o.connections ? 0 : 1;
}

// Logins: connect, REGISTER with a token of its own user, RECEIPT. Tokens
// are signed beforehand with the server's key (its data dir's
// token-signing-key.pem), so signing is not part of the measured time.
int run_login(const Options& o) {
  qsip::bench::RegisterMessages messages(o.signing_key);
  std::vector<std::string> registers;
  registers.reserve(o.connections);
  for (std::uint64_t i = 0; i < o.connections; ++i)
    registers.push_back(messages.make("u-bench-" + std::to_string(i), "d-bench", "login-" + std::to_string(i)));
  ConnectionLoad load(target(o), [&registers](std::uint64_t i) { return registers[i % registers.size()]; });
  auto [r, cpu] = measured_run(load, o);
  double seconds = std::chrono::duration<double>(r.elapsed).count();
  std::cout << fmt::format(
      "workload=login_{} logins={} registered={} errors={} failed={} resumed={} early_data={} seconds={:.2f} "
      "rate_per_s={:.0f} server_cpu_us_per_login={}\n",
      o.resume ? "resumed" : "full", o.connections, r.answered - r.errors, r.errors, r.failed, r.resumed, r.early_data,
      seconds, static_cast<double>(r.answered - r.errors) / seconds, cpu);
  return r.answered == o.connections && r.errors == 0 ? 0 : 1;
}

// Durable 1:1 messages: setup (sessions) untimed, then --seconds of sending;
// server CPU over the timed part only, per committed message.
int run_messages(const Options& o) {
  qsip::bench::RegisterMessages registers(o.signing_key);
  qsip::bench::DirectMessages load(target(o), registers, o.messages);
  load.setup(std::chrono::seconds(o.timeout_seconds));
  std::cerr << "qsip-bench: setup done, timed part starts\n" << std::flush;
  auto before = sample(o);
  auto r = load.run(std::chrono::seconds(10));
  auto after = sample(o);
  const double sending = std::chrono::duration<double>(r.sending).count();
  std::string cpu_us = "n/a";
  if (before && after && r.committed)
    cpu_us = fmt::format("{:.1f}", (after->cpu_seconds - before->cpu_seconds) / static_cast<double>(r.committed) * 1e6);
  std::cout << fmt::format(
      "workload=direct_messages pairs={} rate={} window={} bytes={} sent={} committed={} refused={} delivered={} "
      "receipts={} sending_seconds={:.2f} committed_per_s={:.0f} delivered_per_s={:.0f} latency_ms_p50={:.2f} "
      "p90={:.2f} p99={:.2f} max={:.2f} sessions_lost={} server_cpu_us_per_message={}\n",
      o.messages.pairs, o.messages.rate > 0 ? fmt::format("{:g}", o.messages.rate) : std::string("max"),
      o.messages.window, o.messages.payload_bytes, r.sent, r.committed, r.refused, r.delivered, r.receipts, sending,
      static_cast<double>(r.committed) / sending, static_cast<double>(r.delivered) / sending, r.p50_ms, r.p90_ms,
      r.p99_ms, r.max_ms, r.sessions_lost, cpu_us);
  return r.committed > 0 && r.refused == 0 && r.sessions_lost == 0 ? 0 : 1;
}

// Group fan-out: setup (sessions, create, joins) untimed, then --seconds of
// sending; server CPU over the timed part only, per delivery.
int run_group(const Options& o) {
  qsip::bench::RegisterMessages registers(o.signing_key);
  qsip::bench::GroupMessages load(target(o), registers, o.group);
  const auto setup_begin = std::chrono::steady_clock::now();
  load.setup(std::chrono::seconds(o.timeout_seconds));
  const double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_begin).count();
  std::cerr << fmt::format("qsip-bench: setup done in {:.1f} s, timed part starts\n", setup_seconds) << std::flush;
  auto before = sample(o);
  auto r = load.run(std::chrono::seconds(20));
  auto after = sample(o);
  const double seconds = std::chrono::duration<double>(r.elapsed).count();
  std::string cpu_us = "n/a";
  if (before && after && r.deliveries)
    cpu_us = fmt::format("{:.2f}", (after->cpu_seconds - before->cpu_seconds) / static_cast<double>(r.deliveries) * 1e6);
  std::cout << fmt::format(
      "workload=group_messages members={} window={} acknowledge={} setup_seconds={:.1f} sent={} committed={} refused={} "
      "deliveries={} expected={} seconds={:.2f} messages_per_s={:.0f} deliveries_per_s={:.0f} sessions_lost={} "
      "server_cpu_us_per_delivery={}\n",
      o.group.members, o.group.window, o.group.acknowledge, setup_seconds, r.sent, r.committed, r.refused, r.deliveries,
      r.committed * o.group.members, seconds, static_cast<double>(r.committed) / seconds,
      static_cast<double>(r.deliveries) / seconds, r.sessions_lost, cpu_us);
  return r.committed > 0 && r.refused == 0 && r.sessions_lost == 0 ? 0 : 1;
}

// Presence fan-out: setup (sessions, subscriptions) untimed, then the
// watched user's changes for --seconds; server CPU over the timed part only.
int run_presence(const Options& o) {
  qsip::bench::RegisterMessages messages(o.signing_key);
  qsip::bench::PresenceFanout load(target(o), messages, o.presence);
  auto setup_begin = std::chrono::steady_clock::now();
  load.setup(std::chrono::seconds(o.timeout_seconds));
  double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_begin).count();
  // A mark for whoever profiles the server during the timed part only (perf record -p).
  std::cerr << fmt::format("qsip-bench: setup done in {:.1f} s, timed part starts\n", setup_seconds) << std::flush;
  auto before = sample(o);
  auto r = load.run(std::chrono::seconds(10));
  auto after = sample(o);
  double seconds = std::chrono::duration<double>(r.elapsed).count();
  double expected = static_cast<double>(r.changes_ok) * static_cast<double>(o.presence.watchers);
  double dropped = expected > 0 ? (expected - static_cast<double>(r.deliveries)) / expected : 0.0;
  std::string cpu = "n/a", cpu_us = "n/a";
  if (before && after && r.deliveries) {
    double per = (after->cpu_seconds - before->cpu_seconds) / static_cast<double>(r.deliveries);
    cpu = fmt::format("{:.4f}", per * 1000.0);
    cpu_us = fmt::format("{:.2f}", per * 1e6);
  }
  std::cout << fmt::format(
      "workload=presence_fanout watchers={} rate={} window={} setup_seconds={:.1f} changes_sent={} changes_ok={} "
      "changes_refused={} sending_seconds={:.2f} seconds={:.2f} changes_per_s={:.0f} deliveries={} "
      "deliveries_per_s={:.0f} dropped_fraction={:.4f} per_watcher_min={} per_watcher_max={} sessions_lost={} "
      "server_cpu_s_per_1000_deliveries={} server_cpu_us_per_delivery={}\n",
      o.presence.watchers, o.presence.rate > 0 ? fmt::format("{:g}", o.presence.rate) : std::string("max"),
      o.presence.window, setup_seconds, r.changes_sent, r.changes_ok, r.changes_refused,
      std::chrono::duration<double>(r.sending).count(), seconds,
      static_cast<double>(r.changes_ok) / std::chrono::duration<double>(r.sending).count(), r.deliveries,
      static_cast<double>(r.deliveries) / seconds, dropped, r.min_per_watcher, r.max_per_watcher, r.sessions_lost, cpu,
      cpu_us);
  return r.changes_ok > 0 && r.changes_refused == 0 && r.sessions_lost == 0 ? 0 : 1;
}

// The call-centre workload: setup (sessions, queue, agents, waiting items)
// untimed, then --seconds of offers, accepts and resolutions.
int run_queue(const Options& o) {
  qsip::bench::RegisterMessages registers(o.signing_key);
  qsip::bench::QueueRouting load(target(o), registers, o.queue);
  const auto setup_begin = std::chrono::steady_clock::now();
  load.setup(std::chrono::seconds(o.timeout_seconds));
  const double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_begin).count();
  std::cerr << fmt::format("qsip-bench: setup done in {:.1f} s, timed part starts\n", setup_seconds) << std::flush;
  auto before = sample(o);
  auto r = load.run();
  auto after = sample(o);
  const double seconds = std::chrono::duration<double>(r.elapsed).count();
  std::string cpu_us = "n/a";
  if (before && after && r.accepted)
    cpu_us = fmt::format("{:.1f}", (after->cpu_seconds - before->cpu_seconds) / static_cast<double>(r.accepted) * 1e6);
  std::cout << fmt::format(
      "workload=queue agents={} waiting={} setup_seconds={:.1f} offers={} accepted={} resolved={} refused={} "
      "decisions_per_s={:.0f} offer_latency_ms_p50={:.2f} p99={:.2f} sessions_lost={} server_cpu_us_per_decision={}\n",
      o.queue.agents, o.queue.waiting, setup_seconds, r.offers, r.accepted, r.resolved, r.refused,
      static_cast<double>(r.accepted) / seconds, r.offer_p50_ms, r.offer_p99_ms, r.sessions_lost, cpu_us);
  return r.accepted > 0 && r.refused == 0 && r.sessions_lost == 0 ? 0 : 1;
}

// Call set-ups: setup (sessions) untimed, then --duration seconds of calls
// (INVITE, ACCEPT, END); server CPU over the timed part only, per completed call.
int run_calls(const Options& o) {
  qsip::bench::RegisterMessages registers(o.signing_key);
  qsip::bench::CallSetups load(target(o), registers, o.calls);
  const auto setup_begin = std::chrono::steady_clock::now();
  load.setup(std::chrono::seconds(o.timeout_seconds));
  const double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_begin).count();
  std::cerr << fmt::format("qsip-bench: setup done in {:.1f} s, timed part starts\n", setup_seconds) << std::flush;
  auto before = sample(o);
  auto r = load.run(std::chrono::seconds(10));
  auto after = sample(o);
  const double sending = std::chrono::duration<double>(r.sending).count();
  std::string cpu_us = "n/a";
  if (before && after && r.completed)
    cpu_us = fmt::format("{:.1f}", (after->cpu_seconds - before->cpu_seconds) / static_cast<double>(r.completed) * 1e6);
  std::cout << fmt::format(
      "workload=calls pairs={} rate={} setup_seconds={:.1f} invites={} completed={} failures={} sending_seconds={:.2f} "
      "calls_per_s={:.0f} invite_to_accept_ms_p50={:.3f} p90={:.3f} p99={:.3f} max={:.3f} sessions_lost={} "
      "server_cpu_us_per_call={}\n",
      o.calls.pairs, o.calls.rate > 0 ? fmt::format("{:g}", o.calls.rate) : std::string("max"), setup_seconds, r.invites,
      r.completed, r.failures, sending, static_cast<double>(r.completed) / sending, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
      r.sessions_lost, cpu_us);
  return r.completed > 0 && r.failures == 0 && r.sessions_lost == 0 ? 0 : 1;
}

// Relayed media: setup (sessions, calls) untimed, then --duration seconds of
// datagrams; server CPU over the timed part, per datagram in and per
// datagram out.
int run_relay(const Options& o) {
  qsip::bench::RegisterMessages registers(o.signing_key);
  qsip::bench::MediaRelay load(target(o), registers, o.relay);
  load.setup(std::chrono::seconds(o.timeout_seconds));
  std::cerr << "qsip-bench: calls set up, timed part starts\n" << std::flush;
  auto before = sample(o);
  auto r = load.run(std::chrono::seconds(2));
  auto after = sample(o);
  const double sending = std::chrono::duration<double>(r.sending).count();
  std::string in_us = "n/a", out_us = "n/a";
  if (before && after && r.sent && r.delivered) {
    const double cpu = after->cpu_seconds - before->cpu_seconds;
    in_us = fmt::format("{:.2f}", cpu / static_cast<double>(r.sent) * 1e6);
    out_us = fmt::format("{:.2f}", cpu / static_cast<double>(r.delivered) * 1e6);
  }
  const double loss = r.expected ? 100.0 * static_cast<double>(r.expected - std::min(r.expected, r.delivered)) /
                                       static_cast<double>(r.expected)
                                 : 0.0;
  std::cout << fmt::format(
      "workload=relay parties={} calls={} size={} target_pps={:g} sent={} not_queued={} delivered={} loss={:.2f}% "
      "in_pps={:.0f} out_pps={:.0f} latency_ms_p50={:.3f} p99={:.3f} max={:.3f} sessions_lost={} "
      "server_cpu_us_per_in_datagram={} server_cpu_us_per_out_datagram={}\n",
      o.relay.parties, o.relay.calls, o.relay.size, o.relay.rate, r.sent, r.not_queued, r.delivered, loss,
      static_cast<double>(r.sent) / sending, static_cast<double>(r.delivered) / sending, r.p50_ms, r.p99_ms, r.max_ms,
      r.sessions_lost, in_us, out_us);
  return r.delivered > 0 && r.sessions_lost == 0 ? 0 : 1;
}

int run_idle(const Options& o) {
  ConnectionLoad load(target(o));
  auto before = sample(o);
  auto r = load.run(o.connections, o.concurrency, false, true, std::chrono::seconds(o.timeout_seconds));
  load.hold(std::chrono::seconds(o.hold_seconds));
  auto after = sample(o);
  std::size_t open = load.open_connections();
  std::string per = "n/a";
  if (before && after && open)
    per = fmt::format("{:.1f}", (static_cast<double>(after->rss_bytes) - static_cast<double>(before->rss_bytes)) / 1024.0 /
                                    static_cast<double>(open));
  std::cout << fmt::format(
      "workload=idle connections={} established_and_answered={} still_open_after_{}s={} "
      "server_rss_before_mib={:.1f} server_rss_after_mib={:.1f} server_kib_per_connection={}\n",
      o.connections, r.answered, o.hold_seconds, open, before ? static_cast<double>(before->rss_bytes) / 1048576.0 : 0.0,
      after ? static_cast<double>(after->rss_bytes) / 1048576.0 : 0.0, per);
  return open == o.connections ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"qsip-bench: QSIP load generator (QUIC connections, handshakes, idle connections, logins, presence)"};
  Options o;
  app.add_option("--server", o.server, "QSIP server HOST:PORT")->capture_default_str();
  app.add_flag("--insecure", o.insecure, "accept any certificate (the default unless --pin)");
  app.add_option("--pin", o.pin, "server certificate SHA-256 pin");
  app.add_option("--server-pid", o.server_pid, "server process, for its CPU time and memory from /proc");
  app.add_option("--timeout", o.timeout_seconds, "give up after this many seconds")->capture_default_str();
  app.require_subcommand(1);
  auto* connect = app.add_subcommand("connect", "new connections per second, each with its first message answered");
  connect->add_option("--connections", o.connections, "connections to open")->capture_default_str();
  connect->add_option("--concurrency", o.concurrency, "handshakes in flight at once")->capture_default_str();
  connect->add_flag("--resume", o.resume, "resume with session tickets and send the first message as 0-RTT");
  auto* idle = app.add_subcommand("idle", "hold many idle connections; server memory per connection");
  idle->add_option("--connections", o.connections, "connections to hold")->capture_default_str();
  idle->add_option("--concurrency", o.concurrency, "handshakes in flight at once")->capture_default_str();
  idle->add_option("--hold", o.hold_seconds, "seconds to hold them before measuring")->capture_default_str();
  auto* login = app.add_subcommand("login", "logins a second: connect, REGISTER, RECEIPT");
  login->add_option("--connections", o.connections, "logins (each a distinct user)")->capture_default_str();
  login->add_option("--concurrency", o.concurrency, "logins in flight at once")->capture_default_str();
  login->add_flag("--resume", o.resume, "resume with session tickets; REGISTER goes as 0-RTT");
  login->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")->required();
  auto* presence = app.add_subcommand("presence", "presence fan-out: one user's changes to N watchers, deliveries a second");
  presence->add_option("--watchers", o.presence.watchers, "watchers, each its own session")->capture_default_str();
  presence->add_option("--seconds", o.presence.seconds, "seconds of changes (timed)")->capture_default_str();
  presence->add_option("--rate", o.presence.rate, "changes a second; 0 = as fast as --window allows")
      ->capture_default_str();
  presence->add_option("--window", o.presence.window, "changes sent and not yet answered, at most")
      ->capture_default_str();
  presence->add_option("--concurrency", o.presence.concurrency, "handshakes in flight at setup")->capture_default_str();
  presence->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")
      ->required();
  auto* messages = app.add_subcommand("messages", "durable 1:1 messages a second with delivery receipts; latency");
  messages->add_option("--pairs", o.messages.pairs, "sender/recipient pairs, each party its own session")
      ->capture_default_str();
  messages->add_option("--seconds", o.messages.seconds, "seconds of sending (timed)")->capture_default_str();
  messages->add_option("--rate", o.messages.rate, "messages a second in all; 0 = as fast as --window allows")
      ->capture_default_str();
  messages->add_option("--window", o.messages.window, "per sender, messages not yet answered, at most")
      ->capture_default_str();
  messages->add_option("--bytes", o.messages.payload_bytes, "text content size")->capture_default_str();
  messages->add_option("--run-id", o.messages.run_id, "makes user names unique per run against one server");
  messages->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")
      ->required();
  auto* group = app.add_subcommand("group", "group fan-out: one sender's MESSAGEs to N members, deliveries a second");
  group->add_option("--members", o.group.members, "members, each its own session")->capture_default_str();
  group->add_option("--seconds", o.group.seconds, "seconds of sending (timed)")->capture_default_str();
  group->add_option("--window", o.group.window, "messages sent and not yet answered, at most")->capture_default_str();
  group->add_option("--concurrency", o.group.concurrency, "handshakes in flight at setup")->capture_default_str();
  group->add_flag("!--no-ack", o.group.acknowledge, "members do not acknowledge deliveries");
  group->add_option("--run-id", o.group.run_id, "makes user and group names unique per run against one server");
  group->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")->required();
  auto* queue = app.add_subcommand("queue", "call-centre routing decisions a second (offer, accept, resolve) over QUIC");
  queue->add_option("--agents", o.queue.agents, "agents, each its own session")->capture_default_str();
  queue->add_option("--waiting", o.queue.waiting, "items kept waiting")->capture_default_str();
  queue->add_option("--seconds", o.queue.seconds, "seconds of routing (timed)")->capture_default_str();
  queue->add_option("--window", o.queue.window, "admin requests not yet answered, at most")->capture_default_str();
  queue->add_option("--run-id", o.queue.run_id, "makes queue and user names unique per run against one server");
  queue->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")->required();
  auto* calls = app.add_subcommand("calls", "call set-ups a second (INVITE, ACCEPT, END) over QUIC; INVITE-to-ACCEPT latency");
  calls->add_option("--pairs", o.calls.pairs, "caller/callee pairs, each party its own session, one call each at a time")
      ->capture_default_str();
  calls->add_option("--duration", o.calls.seconds, "seconds of calls (timed)")->capture_default_str();
  calls->add_option("--rate", o.calls.rate, "calls started a second in all; 0 = each caller back to back")
      ->capture_default_str();
  calls->add_option("--concurrency", o.calls.concurrency, "handshakes in flight at setup")->capture_default_str();
  calls->add_option("--run-id", o.calls.run_id, "makes user names and session ids unique per run against one server");
  calls->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")->required();
  auto* relay = app.add_subcommand("relay", "relayed media datagrams a second through the server's SFU (1:1 or group calls)");
  relay->add_option("--parties", o.relay.parties, "parties per call: 2 = 1:1, 10 = one sender to 9")->capture_default_str();
  relay->add_option("--calls", o.relay.calls, "independent calls, each with its own sender")->capture_default_str();
  relay->add_option("--rate", o.relay.rate, "datagrams sent a second, all senders together")->capture_default_str();
  relay->add_option("--size", o.relay.size, "bytes per datagram (flow id and RTP header included)")->capture_default_str();
  relay->add_option("--duration", o.relay.seconds, "seconds of media (timed)")->capture_default_str();
  relay->add_option("--concurrency", o.relay.concurrency, "handshakes in flight at setup")->capture_default_str();
  relay->add_option("--run-id", o.relay.run_id, "makes user, group and session names unique per run against one server");
  relay->add_option("--signing-key", o.signing_key, "the server's token-signing-key.pem (in its data dir)")->required();
  CLI11_PARSE(app, argc, argv);
  raise_fd_limit();
  try {
    if (*connect) return run_connect(o);
    if (*login) return run_login(o);
    if (*presence) return run_presence(o);
    if (*messages) return run_messages(o);
    if (*group) return run_group(o);
    if (*queue) return run_queue(o);
    if (*calls) return run_calls(o);
    if (*relay) return run_relay(o);
    return run_idle(o);
  } catch (const std::exception& e) {
    std::cerr << "qsip-bench: " << e.what() << '\n';
    return 1;
  }
}
