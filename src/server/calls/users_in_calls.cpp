#include "server/calls/users_in_calls.hpp"

#include <algorithm>

namespace qsip::server::calls {

std::vector<std::string> UsersInCalls::of(const CallSession& session) {
  std::vector<std::string> users;
  for (const auto& p : session.participants)
    if (p.state == ParticipantState::kInviting || in_call(p.state)) users.push_back(p.user_id);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

void UsersInCalls::change(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  if (before == after) return;
  std::vector<std::string> left, joined;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(left));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(joined));
  std::lock_guard lock(mutex_);
  for (const auto& user : joined)
    if (++sessions_of_[user] == 1) unreported_.emplace_back(user, true);
  for (const auto& user : left) {
    auto found = sessions_of_.find(user);
    if (found == sessions_of_.end()) continue;
    if (--found->second > 0) continue;
    sessions_of_.erase(found);
    unreported_.emplace_back(user, false);
  }
}

void UsersInCalls::report() {
  // The report lock is taken before the batch is: batches are told in the
  // order they were taken, so a user's last word is the one that counts.
  std::lock_guard reporting(report_mutex_);
  std::vector<std::pair<std::string, bool>> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(unreported_);
  }
  if (listener_)
    for (const auto& [user, in] : batch) listener_(user, in);
}

bool UsersInCalls::is_in_call(const std::string& user_id) const {
  std::lock_guard lock(mutex_);
  return sessions_of_.count(user_id) > 0;
}

}  // namespace qsip::server::calls
