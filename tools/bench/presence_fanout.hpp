// The presence fan-out workload (issue 4): one watched user and N watchers,
// each on its own registered QUIC session with an approved presence
// subscription to it (ROSTER add by the watcher, approve by the watched
// user, made at setup and not timed). Then the watched user's device sends
// PRESENCE changes (alternating available / away, so each one changes the
// aggregate watchers hear) at a steady rate or as fast as a window of
// unanswered changes allows, and every watcher counts the PRESENCE
// deliveries it receives. Presence to others is droppable under
// back-pressure, so deliveries may fall short of changes x watchers.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct PresenceFanoutOptions {
  std::string star = "u-star";  // the watched user
  std::size_t watchers = 1000;
  double seconds = 3;           // sending time
  double rate = 0;              // changes a second; 0: as fast as `window` allows
  std::size_t window = 16;      // changes sent and not yet answered (RECEIPT), at most
  std::size_t concurrency = 200;  // handshakes in flight at setup
};

class PresenceFanout {
 public:
  PresenceFanout(LoadTarget target, const RegisterMessages& registers, PresenceFanoutOptions options);

  // Connects and registers everyone, makes the subscriptions and waits until
  // every watcher has heard the watched user's presence once (the server
  // sends it on approval, or at REGISTER for a subscription approved
  // earlier). Throws std::runtime_error when that does not happen.
  void setup(std::chrono::seconds timeout);

  struct Result {
    std::uint64_t changes_sent = 0;
    std::uint64_t changes_ok = 0;       // answered RECEIPT: the server fanned them out
    std::uint64_t changes_refused = 0;  // answered ERROR (4291 when [limits] are too low)
    std::uint64_t deliveries = 0;       // PRESENCE of the watched user received by watchers
    std::uint64_t min_per_watcher = 0;
    std::uint64_t max_per_watcher = 0;
    std::size_t sessions_lost = 0;      // connections closed during the run
    std::chrono::steady_clock::duration sending{};  // first change to last change sent
    std::chrono::steady_clock::duration elapsed{};  // first change to last delivery
  };
  // The timed part, once per setup: sends for options.seconds, then waits
  // (at most `drain`) for the answers and the deliveries still on their way.
  Result run(std::chrono::milliseconds drain);

 private:
  void on_frame(std::size_t session, std::string_view body);
  void send_change();
  std::string roster(std::size_t watcher, const char* action, const std::string& contact) const;
  std::string user_of(std::size_t session) const;

  PresenceFanoutOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;  // session 0: the watched user; 1..N: the watchers
  std::string stamp_;
  std::string star_pattern_;  // "user_id":"<star>" in a PRESENCE payload
  // Setup.
  std::vector<bool> heard_;
  std::size_t heard_count_ = 0;
  std::size_t approvals_pending_ = 0;
  std::size_t setup_errors_ = 0;
  std::string first_setup_error_;
  // Timed part.
  bool timed_ = false;
  std::vector<std::uint64_t> received_;
  std::uint64_t deliveries_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t ok_ = 0;
  std::uint64_t refused_ = 0;
  std::chrono::steady_clock::time_point last_delivery_{};
};

}  // namespace qsip::bench
