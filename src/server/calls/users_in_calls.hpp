// Who is in a call right now, counted over every live session: a user is in
// a call while it is INVITING, ACTIVE or ON_HOLD in at least one session (a
// ringing phone is not a call yet: its owner may still decline). The
// registry reports each session's users before and after every change,
// under the session's shard lock (so one session's changes count in their
// order); report() then tells a listener, in the order they happened, when
// a user entered its first call or left its last one.
// The call-centre queue listens: an agent in any call, its own or a direct
// one, is offered no items (docs/call-centre.md "Busy agents").
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/calls/call_session.hpp"

namespace qsip::server::calls {

class UsersInCalls {
 public:
  using Listener = std::function<void(const std::string& user_id, bool in_call)>;
  // Set before any session exists.
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  // The users of `session` who are in its call (sorted, unique).
  static std::vector<std::string> of(const CallSession& session);
  // One session went from `before` to `after` (both as of() gives them).
  // Only records: called under a registry lock.
  void change(const std::vector<std::string>& before, const std::vector<std::string>& after);
  // Tells the listener what changed since the last report, in order. Called
  // with no registry lock held; two reports never interleave.
  void report();
  bool is_in_call(const std::string& user_id) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::uint32_t> sessions_of_;  // user -> sessions it is in; no zeros
  std::vector<std::pair<std::string, bool>> unreported_;         // bounded by the users in calls' changes
  std::mutex report_mutex_;
  Listener listener_;
};

}  // namespace qsip::server::calls
