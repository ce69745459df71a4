// The group fan-out workload (issue 5): one sender and `members` members of
// a public group, each on its own registered session. Setup (untimed): the
// sender creates the group and every member joins. Then the sender sends
// MESSAGEs to the group, keeping up to `window` unanswered, for `seconds`;
// every member counts the deliveries and acknowledges each one with RECEIPT
// delivered_to_client, as libqsip does.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct GroupMessagesOptions {
  std::size_t members = 1000;
  double seconds = 3;
  std::size_t window = 8;
  std::size_t payload_bytes = 100;
  std::size_t concurrency = 200;
  bool acknowledge = true;  // members acknowledge each delivery
  std::string run_id;
};

class GroupMessages {
 public:
  GroupMessages(LoadTarget target, const RegisterMessages& registers, GroupMessagesOptions options);
  void setup(std::chrono::seconds timeout);  // throws std::runtime_error on failure

  struct Result {
    std::uint64_t sent = 0;
    std::uint64_t committed = 0;
    std::uint64_t refused = 0;
    std::uint64_t deliveries = 0;
    std::size_t sessions_lost = 0;
    std::chrono::steady_clock::duration sending{};
    std::chrono::steady_clock::duration elapsed{};  // first send -> last delivery
  };
  Result run(std::chrono::milliseconds drain);

 private:
  void on_frame(std::size_t session, std::string_view body);
  void send_one();
  std::string user_of(std::size_t session) const;

  GroupMessagesOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;
  std::string stamp_;
  std::string group_id_;
  std::string text_;
  bool timed_ = false;
  bool sending_ = false;
  std::size_t joined_ = 0;
  std::size_t setup_errors_ = 0;
  std::string first_setup_error_;
  std::size_t outstanding_ = 0;
  std::uint64_t next_seq_ = 0;
  Result result_;
  std::chrono::steady_clock::time_point origin_;
  std::chrono::steady_clock::time_point last_delivery_;
};

}  // namespace qsip::bench
