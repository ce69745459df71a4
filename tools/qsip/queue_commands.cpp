// `qsip queue enqueue|status|leave` for customers and `qsip agent
// wait|accept|reject` for agents (docs/call-centre.md "CLI"): each
// connects, REGISTERs with --token (or QSIP_TOKEN) and sends QUEUE
// requests; answers and what the server sends go to stdout as JSON lines.
// Exit 0 on success, 1 on an ERROR (printed) or a timeout, CLI11's
// non-zero codes on a usage mistake.
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "commands.hpp"
#include "connection_options.hpp"
#include "core/json_writer.hpp"
#include "json_line.hpp"

namespace qsip::cli {
namespace {

struct QueueArgs {
  std::string queue = "support";
  std::string item;
  std::string priority;
  std::vector<std::string> skills;
  std::string details;  // a JSON object
  bool wait = false;
  int timeout_seconds = 300;
};

int print(const Message& m) {
  std::cout << one_line(m.json()) << std::endl;
  return m.is_error() ? 1 : 0;
}

std::string payload(std::string_view action, const QueueArgs& a) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("action", action).member("queue_id", a.queue);
  if (!a.item.empty()) w.member("item_id", a.item);
  if (!a.priority.empty()) {
    // A number goes as a number (the server checks the range), a name as a string.
    const bool number = a.priority.size() <= 9 && a.priority.find_first_not_of("0123456789") == std::string::npos;
    if (number)
      w.member("priority", static_cast<std::int64_t>(std::stoll(a.priority)));
    else
      w.member("priority", a.priority);
  }
  if (!a.skills.empty()) {
    w.key("required_skills").begin_array();
    for (const auto& s : a.skills) w.value(s);
    w.end_array();
  }
  if (!a.details.empty()) w.key("details").raw(a.details);
  w.end_object();
  return json;
}

// Prints what the server sends until `done` says so or the time is up.
int follow(Client& client, int timeout_seconds, const std::function<bool(const Message&)>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return 1;
    auto m = client.receive(left);
    if (!m) return 1;
    if (m->type() != "QUEUE" && m->type() != "SESSION") continue;
    print(*m);
    if (done(*m)) return 0;
  }
}

void run(const ConnectionOptions& options, std::string_view command, std::string_view action, const QueueArgs& a,
         int& exit_code) {
  auto client = registered_client(options, command, exit_code);
  if (!client) return;
  auto answer = client->request(make_envelope(options, "QUEUE", payload(action, a), {})).get();
  exit_code = print(answer);
  if (exit_code == 0 && a.wait && action == "enqueue") {
    // Position updates until an agent is connecting (or the item is gone).
    const std::string item(answer.payload_string("item_id").value_or(""));
    exit_code = follow(*client, a.timeout_seconds, [&item](const Message& m) {
      return (m.type() == "SESSION" && m.payload_string("action") == "agent_connecting") ||
             (m.payload_string("action") == "dequeue" && m.payload_string("item_id") == item);
    });
  }
  client->close();
}

// An agent is offered items while its presence is `available`: wait says so
// and prints the first offer.
void run_wait(const ConnectionOptions& options, const QueueArgs& a, int& exit_code) {
  auto client = registered_client(options, "agent wait", exit_code);
  if (!client) return;
  auto presence = client->request(make_envelope(options, "PRESENCE", R"({"status":"available"})", {})).get();
  if (presence.is_error()) {
    exit_code = print(presence);
    client->close();
    return;
  }
  exit_code = follow(*client, a.timeout_seconds,
                     [](const Message& m) { return m.payload_string("action") == "offer_item"; });
  client->close();
}

void common(CLI::App* cmd, QueueArgs& a, bool item_required) {
  cmd->add_option("--queue", a.queue, "queue_id")->capture_default_str();
  auto* item = cmd->add_option("--item", a.item, "item_id (from the enqueued RECEIPT or the offer)");
  if (item_required) item->required();
}

}  // namespace

void add_queue_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* queue = app.add_subcommand("queue", "call-centre queues, as a customer");
  queue->require_subcommand(1);
  auto a = std::make_shared<QueueArgs>();

  auto* enqueue = queue->add_subcommand("enqueue", "enter a queue; print the RECEIPT (item_id, position, wait)");
  enqueue->add_option("--queue", a->queue, "queue_id")->capture_default_str();
  enqueue->add_option("--priority", a->priority, "high, normal, low or 0-1000");
  enqueue->add_option("--skill", a->skills, "a required skill (repeatable)");
  enqueue->add_option("--details", a->details, "details, a JSON object");
  enqueue->add_flag("--wait", a->wait, "then print position updates until an agent is connecting");
  enqueue->add_option("--timeout", a->timeout_seconds, "seconds --wait waits")->capture_default_str();
  enqueue->callback([&options, a, &exit_code] { run(options, "queue enqueue", "enqueue", *a, exit_code); });

  auto* status = queue->add_subcommand("status", "print the item's state, position and estimated wait");
  common(status, *a, false);
  status->callback([&options, a, &exit_code] { run(options, "queue status", "get_status", *a, exit_code); });

  auto* leave = queue->add_subcommand("leave", "leave the queue (the item is abandoned)");
  common(leave, *a, true);
  leave->callback([&options, a, &exit_code] { run(options, "queue leave", "dequeue", *a, exit_code); });

  auto* agent = app.add_subcommand("agent", "call-centre queues, as an agent");
  agent->require_subcommand(1);
  auto* wait = agent->add_subcommand("wait", "be available and print the first offer_item");
  wait->add_option("--timeout", a->timeout_seconds, "seconds to wait")->capture_default_str();
  wait->callback([&options, a, &exit_code] { run_wait(options, *a, exit_code); });
  auto* accept = agent->add_subcommand("accept", "accept an offered item");
  common(accept, *a, true);
  accept->callback([&options, a, &exit_code] { run(options, "agent accept", "agent_accept", *a, exit_code); });
  auto* reject = agent->add_subcommand("reject", "reject an offered item (it goes to the next agent)");
  common(reject, *a, true);
  reject->callback([&options, a, &exit_code] { run(options, "agent reject", "agent_reject", *a, exit_code); });
  auto* done = agent->add_subcommand("done", "finish an assigned item (resolved)");
  common(done, *a, true);
  done->callback([&options, a, &exit_code] { run(options, "agent done", "dequeue", *a, exit_code); });
}

}  // namespace qsip::cli
