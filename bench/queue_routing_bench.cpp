// Routing decisions of the call-centre engine (src/server/queue/queue_engine.hpp)
// with 10,000 waiting items and 1,000 agents: how many "next offer"
// decisions a second one core makes. Each iteration routes one item to the
// longest-idle agent with its skills, then the agent accepts and resolves it
// and the customer enqueues again, so the queue and the agents stay at size.
// docs/performance.md has the figures and the command.
#include <benchmark/benchmark.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "server/queue/queue_engine.hpp"

using namespace qsip::server;

namespace {

const std::vector<std::vector<std::string>> kSkillSets = {
    {}, {"vpn"}, {"billing"}, {"vpn", "network"}, {"vpn", "network", "tier2"}, {"spanish"}, {"billing", "spanish"}};

// Item n; `like` picks its queue, priority and skills (the finished item's,
// so that the agent it freed can serve the newcomer's kind).
QueueItem make_item(std::size_t n, std::size_t like) {
  QueueItem item;
  item.item_id = "i-" + std::to_string(n);
  item.queue_id = like % 4 == 0 ? "sales" : "support";
  item.customer_id = "c-" + std::to_string(n);
  item.priority = like % 10 == 0 ? 100 : (like % 7 == 0 ? 0 : 50);
  item.required_skills = kSkillSets[like % 5];
  return item;
}

void RoutingDecision(benchmark::State& state) {
  const auto items = static_cast<std::size_t>(state.range(0));
  const auto agents = static_cast<std::size_t>(state.range(1));
  QueueEngine engine;
  engine.set_queue({"support", {}, 1'000'000, 60});
  engine.set_queue({"sales", {"billing"}, 1'000'000, 60});
  for (std::size_t a = 0; a < agents; ++a) {
    std::vector<std::string> skills = kSkillSets[a % kSkillSets.size()];
    if (a % 3 == 0) skills = {"vpn", "network", "tier2", "billing"};
    engine.set_agent({"a-" + std::to_string(a), skills, 1}, 0);
  }
  std::size_t next = 0;
  std::unordered_map<std::string, std::size_t> kind;  // item id -> its `like`
  for (; next < items + agents; ++next) {  // agents hold one each: `items` wait
    engine.enqueue(make_item(next, next));
    kind["i-" + std::to_string(next)] = next;
  }
  for (std::size_t a = 0; a < agents; ++a) engine.set_agent_present("a-" + std::to_string(a), true, 1);
  // Every agent busy with an offer first: then each decision frees one.
  auto offers = engine.route(2);
  for (const auto& o : offers) engine.accept(o.item_id, o.agent_id, 2);
  engine.take_changed();
  std::size_t cursor = 0;
  std::int64_t now = 3;
  std::size_t decisions = 0;
  for (auto _ : state) {
    // An agent finishes, its customer's item is resolved, a new one arrives:
    // then the decision.
    const auto& done = offers[cursor % offers.size()];
    engine.resolve(done.item_id, now);
    const std::size_t like = kind[done.item_id];
    engine.enqueue(make_item(next, like));
    kind["i-" + std::to_string(next)] = like;
    ++next;
    auto offer = engine.route_one(++now);
    benchmark::DoNotOptimize(offer);
    if (offer) {
      engine.accept(offer->item_id, offer->agent_id, now);
      offers[cursor % offers.size()] = *offer;
      ++decisions;
    }
    ++cursor;
    if (cursor % 4096 == 0) engine.take_changed();  // as the service writes them
  }
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(decisions), benchmark::Counter::kIsRate);
  state.counters["waiting"] = static_cast<double>(engine.waiting_count());
}
BENCHMARK(RoutingDecision)->Args({10'000, 1'000})->Args({1'000, 100})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
