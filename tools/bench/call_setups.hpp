// The call set-up workload (issue 7): `pairs` callers each call their own
// callee through the server. One call is INVITE (audio, opus) -> the callee
// reads it and ACCEPTs -> the caller reads the ACCEPT and sends END -> the
// callee reads the END. A caller has one call in flight at a time; with
// `rate` the calls start paced (a total rate), otherwise each caller starts
// its next call as soon as its previous one is over. Every call has a
// session id of its own (run id, pair, sequence). Latency is from the
// INVITE being sent to the caller reading the ACCEPT: it includes the
// callee's own turnaround (reading the INVITE, writing the ACCEPT), which
// runs in this process.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct CallSetupsOptions {
  std::size_t pairs = 100;
  double seconds = 5;
  double rate = 0;                // calls started a second in all; 0: each caller back to back
  std::size_t concurrency = 100;  // handshakes in flight at setup
  std::string run_id;             // makes user names and session ids unique per run against one server
};

class CallSetups {
 public:
  CallSetups(LoadTarget target, const RegisterMessages& registers, CallSetupsOptions options);

  // Connects and registers every caller and callee (throws std::runtime_error on failure).
  void setup(std::chrono::seconds timeout);

  struct Result {
    std::uint64_t invites = 0;     // INVITEs sent
    std::uint64_t completed = 0;   // calls whose END reached the callee
    std::uint64_t failures = 0;    // ERRORs, REJECTs or server ENDs received
    std::size_t sessions_lost = 0;
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;  // INVITE sent -> ACCEPT read
    std::chrono::steady_clock::duration sending{};
    std::chrono::steady_clock::duration elapsed{};  // first INVITE -> last END read
  };
  Result run(std::chrono::milliseconds drain);

 private:
  void on_frame(std::size_t session, std::string_view body);
  void invite(std::size_t pair);
  std::string envelope(std::string_view type, std::size_t pair, bool from_caller, std::string_view session_id,
                       std::string_view payload);
  std::string caller(std::size_t pair) const;
  std::string callee(std::size_t pair) const;

  CallSetupsOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;
  std::string stamp_;
  std::chrono::steady_clock::time_point origin_;
  bool timed_ = false;
  bool sending_ = false;
  std::vector<bool> busy_;                  // per pair: a call in flight
  std::vector<std::uint64_t> next_call_;    // per pair: next session sequence
  std::vector<std::int64_t> invited_at_us_; // per pair: when the current INVITE left
  std::uint64_t message_seq_ = 0;
  std::vector<double> latencies_ms_;
  Result result_;
  std::chrono::steady_clock::time_point last_end_;
};

}  // namespace qsip::bench
