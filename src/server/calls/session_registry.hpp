// The live sessions, shared by every worker thread and the timer thread:
// sharded by session_id, a short lock per shard. Callers change a session
// inside with_session() and send what it produced after the lock is gone.
// Ended session ids are remembered for a while (bounded in number and
// time) so that a reused session_id is refused (4051), and an index from
// connection to sessions finds what a closing connection takes part in.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/calls/call_session.hpp"

namespace qsip::server::calls {

class SessionRegistry {
 public:
  struct Options {
    std::size_t remembered_ended_ids_per_shard = 4096;
    std::chrono::seconds remember_ended_for{3600};
  };
  SessionRegistry() : SessionRegistry(Options{}) {}
  explicit SessionRegistry(Options options) : options_(options) {}

  enum class Created { kCreated, kInUse };
  // Adds `session` unless its id is live or was used recently.
  Created create(std::unique_ptr<CallSession> session);

  // Runs `change` on the live session under its shard's lock; returns false
  // (without calling it) when there is none. When `change` returns true the
  // session has ended: it is removed and its id remembered.
  bool with_session(const std::string& session_id, const std::function<bool(CallSession&)>& change);

  // Called with every session that ends, once it is removed (no lock held,
  // but inside with_session's caller: it should only record). Set before any use.
  void set_on_end(std::function<void(const CallSession&)> on_end) { on_end_ = std::move(on_end); }

  // Called under the shard's lock after every change (ended: the session is
  // about to be removed), so that what it publishes (the media relay's
  // routes) follows the session's changes in order. Must be quick and must
  // not call back into the registry. Set before any use.
  void set_on_change(std::function<void(CallSession&, bool ended)> on_change) { on_change_ = std::move(on_change); }

  // Whether `session_id` is live or was used recently.
  bool used(const std::string& session_id) const;
  std::size_t live_count() const;

  // Connection index: the sessions a connection takes part in.
  void index(std::uint64_t connection_id, const std::string& session_id);
  std::vector<std::string> sessions_of(std::uint64_t connection_id) const;
  void forget_connection(std::uint64_t connection_id);

 private:
  static constexpr std::size_t kShards = 32;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::unique_ptr<CallSession>> live;
    std::unordered_set<std::string> ended;
    std::deque<std::pair<std::string, std::chrono::steady_clock::time_point>> ended_order;
  };
  Shard& shard(const std::string& session_id) const;
  void remember_ended(Shard& shard, const std::string& session_id);
  void drop_expired(Shard& shard) const;

  Options options_;
  std::function<void(const CallSession&)> on_end_;
  std::function<void(CallSession&, bool)> on_change_;
  mutable std::array<Shard, kShards> shards_;
  mutable std::mutex index_mutex_;
  std::unordered_map<std::uint64_t, std::set<std::string>> by_connection_;
};

}  // namespace qsip::server::calls
