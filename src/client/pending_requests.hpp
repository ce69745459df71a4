// Requests waiting for their answer, correlated by the request's message_id,
// which every answer carries in payload.target_message_id (wire profile 4).
// Owned by the client's loop thread; not thread-safe by itself.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "qsip/message.hpp"

namespace qsip::client {

class PendingRequests {
 public:
  using Clock = std::chrono::steady_clock;

  // Registers a request; the future gets its answer, or an ERROR 4081
  // RequestTimeout made locally when `deadline` passes first.
  std::future<Message> add(std::string message_id, std::string type, Clock::time_point deadline);
  // The same with a promise made elsewhere (by a thread that must not wait for this one).
  void add(std::string message_id, std::string type, Clock::time_point deadline, std::promise<Message> promise);

  // Hands `message` to the request it answers. An answer is a RECEIPT, an
  // ERROR or a message of the request's own type whose target_message_id
  // names a pending request. Returns false when it answers nothing (the
  // caller then delivers it as an incoming message).
  bool resolve(const Message& message);

  // Fails every request whose deadline is before `now` with ERROR 4081.
  void expire(Clock::time_point now);
  // Fails every request with the given code and detail (connection lost).
  void fail_all(int code, std::string_view reason, std::string_view detail);

  std::size_t size() const { return pending_.size(); }
  // The earliest deadline, for the loop's timer.
  std::optional<Clock::time_point> next_deadline() const;

 private:
  struct Entry {
    std::string type;
    Clock::time_point deadline;
    std::promise<Message> promise;
  };
  std::map<std::string, Entry, std::less<>> pending_;
};

// A locally made ERROR message (for timeouts and lost connections).
Message local_error(int code, std::string_view reason, std::string_view detail, std::string_view target_message_id);

}  // namespace qsip::client
