#include "server/files/quota_ledger.hpp"

#include <algorithm>

namespace qsip::server {

std::shared_ptr<QuotaLedger::Reservation> QuotaLedger::reserve(const std::string& user, std::uint64_t bytes,
                                                               std::uint64_t quota,
                                                               const std::function<std::uint64_t()>& stored_bytes,
                                                               Refusal& refusal) {
  std::lock_guard lock(mutex_);
  auto it = reserved_.find(user);
  std::uint64_t used = stored_bytes() + (it == reserved_.end() ? 0 : it->second);
  if (used > quota || bytes > quota - used) {
    refusal.used = used;
    return nullptr;
  }
  reserved_[user] += bytes;
  return std::make_shared<Reservation>(*this, user, bytes);
}

std::uint64_t QuotaLedger::reserved(const std::string& user) const {
  std::lock_guard lock(mutex_);
  auto it = reserved_.find(user);
  return it == reserved_.end() ? 0 : it->second;
}

void QuotaLedger::release(const std::string& user, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  auto it = reserved_.find(user);
  if (it == reserved_.end()) return;
  it->second -= std::min(it->second, bytes);
  if (it->second == 0) reserved_.erase(it);
}

}  // namespace qsip::server
