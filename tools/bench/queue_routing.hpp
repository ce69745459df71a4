// The call-centre workload (issue 8, docs/performance.md): routing
// decisions a second over QUIC through qsipd. One admin session (a server
// admin of the server's configuration, bench/queue-qsipd.toml) makes a
// queue and `agents` agents, then enqueues `waiting` items for customers
// who have no session (position updates cost a directory lookup each, no
// send). Then, timed, every agent says `available`: each offer_item is
// answered agent_accept, each accepted item is finished at once (dequeue by
// the agent: RESOLVED), which frees the agent for the next offer, and the
// admin enqueues one more item per accepted one so the queue stays at
// `waiting`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct QueueRoutingOptions {
  std::size_t agents = 1000;
  std::size_t waiting = 10000;
  double seconds = 5;
  std::size_t window = 64;        // admin requests not yet answered, at most
  std::size_t concurrency = 100;  // handshakes in flight at setup
  std::string run_id;             // makes queue, agent and customer names unique per run
};

class QueueRouting {
 public:
  static constexpr const char* kAdmin = "u-qbench-admin";

  QueueRouting(LoadTarget target, const RegisterMessages& registers, QueueRoutingOptions options);
  void setup(std::chrono::seconds timeout);

  struct Result {
    std::uint64_t offers = 0;
    std::uint64_t accepted = 0;
    std::uint64_t resolved = 0;
    std::uint64_t refused = 0;  // ERROR answers
    std::size_t sessions_lost = 0;
    double offer_p50_ms = 0, offer_p99_ms = 0;  // agent available/resolved -> next offer
    std::chrono::steady_clock::duration elapsed{};
  };
  Result run();

 private:
  void on_frame(std::size_t session, std::string_view body);
  void admin_send(const std::string& payload);
  void agent_send(std::size_t session, std::string_view type, const std::string& payload);
  void enqueue_one();
  std::string agent(std::size_t i) const;
  bool admin_idle() const { return admin_outstanding_ == 0; }

  QueueRoutingOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;
  std::string stamp_, queue_;
  std::uint64_t next_id_ = 0, next_customer_ = 0;
  std::size_t admin_outstanding_ = 0;
  std::size_t refill_ = 0;  // enqueues owed to keep the queue at size
  bool timed_ = false;
  std::vector<std::chrono::steady_clock::time_point> free_since_;  // per session
  std::vector<double> offer_ms_;
  Result result_;
};

}  // namespace qsip::bench
