// The durable 1:1 messaging workload (issue 5): `pairs` senders each write to
// their own recipient through the server. A sender keeps up to `window`
// messages without a delivered_to_server answer in flight (or paces to a
// total `rate`); every recipient acknowledges each MESSAGE with RECEIPT
// delivered_to_client, as libqsip does, so the server does the whole
// durable path: commit, answer, deliver, acknowledge, cursor. Latency is
// from a MESSAGE being sent to its recipient reading it (the send time
// rides in the message id).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct DirectMessagesOptions {
  std::size_t pairs = 50;
  double seconds = 3;
  double rate = 0;            // messages a second in all; 0: as fast as the windows allow
  std::size_t window = 32;    // per sender, messages not yet answered
  std::size_t payload_bytes = 100;  // text content size
  std::size_t concurrency = 100;    // handshakes in flight at setup
  std::string run_id;         // makes user names unique per run against one server
};

class DirectMessages {
 public:
  DirectMessages(LoadTarget target, const RegisterMessages& registers, DirectMessagesOptions options);

  // Connects and registers every sender and recipient (throws std::runtime_error on failure).
  void setup(std::chrono::seconds timeout);

  struct Result {
    std::uint64_t sent = 0;
    std::uint64_t committed = 0;   // answered delivered_to_server
    std::uint64_t refused = 0;     // answered ERROR
    std::uint64_t delivered = 0;   // MESSAGEs read by recipients
    std::uint64_t receipts = 0;    // delivered_to_client relayed back to senders
    std::size_t sessions_lost = 0;
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;  // send -> recipient
    std::chrono::steady_clock::duration sending{};
    std::chrono::steady_clock::duration elapsed{};  // first send -> last delivery
  };
  Result run(std::chrono::milliseconds drain);

 private:
  void on_frame(std::size_t session, std::string_view body);
  void send_one(std::size_t pair);
  std::string sender(std::size_t pair) const;
  std::string recipient(std::size_t pair) const;

  DirectMessagesOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;
  std::string stamp_;
  std::string text_;
  std::chrono::steady_clock::time_point origin_;
  bool timed_ = false;
  bool sending_ = false;
  std::vector<std::size_t> outstanding_;  // per pair
  std::vector<std::uint64_t> next_seq_;   // per pair
  std::vector<double> latencies_ms_;
  Result result_;
  std::chrono::steady_clock::time_point last_delivery_;
};

}  // namespace qsip::bench
