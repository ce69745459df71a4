#include "server/calls/session_registry.hpp"

namespace qsip::server::calls {

SessionRegistry::Shard& SessionRegistry::shard(const std::string& session_id) const {
  return shards_[std::hash<std::string>{}(session_id) % kShards];
}

void SessionRegistry::drop_expired(Shard& s) const {
  auto now = std::chrono::steady_clock::now();
  while (!s.ended_order.empty() && now - s.ended_order.front().second > options_.remember_ended_for) {
    s.ended.erase(s.ended_order.front().first);
    s.ended_order.pop_front();
  }
}

void SessionRegistry::remember_ended(Shard& s, const std::string& session_id) {
  drop_expired(s);
  if (s.ended.insert(session_id).second) s.ended_order.emplace_back(session_id, std::chrono::steady_clock::now());
  while (s.ended_order.size() > options_.remembered_ended_ids_per_shard) {
    s.ended.erase(s.ended_order.front().first);
    s.ended_order.pop_front();
  }
}

SessionRegistry::Created SessionRegistry::create(std::unique_ptr<CallSession> session) {
  auto& s = shard(session->session_id);
  std::lock_guard lock(s.mutex);
  drop_expired(s);
  if (s.live.count(session->session_id) || s.ended.count(session->session_id)) return Created::kInUse;
  auto id = session->session_id;
  s.live.emplace(std::move(id), std::move(session));
  return Created::kCreated;
}

bool SessionRegistry::with_session(const std::string& session_id, const std::function<bool(CallSession&)>& change) {
  auto& s = shard(session_id);
  std::unique_ptr<CallSession> ended;  // destroyed after the lock is released
  {
    std::lock_guard lock(s.mutex);
    auto it = s.live.find(session_id);
    if (it == s.live.end()) return false;
    const bool ends = change(*it->second);
    if (on_change_) on_change_(*it->second, ends);
    if (ends) {
      ended = std::move(it->second);
      s.live.erase(it);
      remember_ended(s, session_id);
    }
  }
  if (ended && on_end_) on_end_(*ended);
  if (ended) {
    std::lock_guard lock(index_mutex_);
    auto forget = [&](std::uint64_t connection) {
      auto it = by_connection_.find(connection);
      if (it == by_connection_.end()) return;
      it->second.erase(session_id);
      if (it->second.empty()) by_connection_.erase(it);
    };
    for (const auto& p : ended->participants) {
      forget(p.bound.connection_id);
      for (const auto& d : p.ringing) forget(d.connection_id);
    }
  }
  return true;
}

bool SessionRegistry::used(const std::string& session_id) const {
  auto& s = shard(session_id);
  std::lock_guard lock(s.mutex);
  drop_expired(s);
  return s.live.count(session_id) || s.ended.count(session_id);
}

std::size_t SessionRegistry::live_count() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.live.size();
  }
  return n;
}

void SessionRegistry::index(std::uint64_t connection_id, const std::string& session_id) {
  if (connection_id == 0) return;
  std::lock_guard lock(index_mutex_);
  by_connection_[connection_id].insert(session_id);
}

std::vector<std::string> SessionRegistry::sessions_of(std::uint64_t connection_id) const {
  std::lock_guard lock(index_mutex_);
  auto it = by_connection_.find(connection_id);
  if (it == by_connection_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void SessionRegistry::forget_connection(std::uint64_t connection_id) {
  std::lock_guard lock(index_mutex_);
  by_connection_.erase(connection_id);
}

}  // namespace qsip::server::calls
