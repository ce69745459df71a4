#include "server/media/handoff_lane.hpp"

namespace qsip::server::media {

HandoffLane::Added HandoffLane::add(std::uint64_t connection_id, const std::shared_ptr<FlowCounters>& counters,
                                    std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> body) {
  const std::size_t size = prefix.size() + body.size();
  std::lock_guard lock(mutex_);
  if (batch_.bytes.size() + size > kMaxBytes) return Added::kFull;
  const auto offset = static_cast<std::uint32_t>(batch_.bytes.size());
  batch_.bytes.append(reinterpret_cast<const char*>(prefix.data()), prefix.size());
  batch_.bytes.append(reinterpret_cast<const char*>(body.data()), body.size());
  batch_.items.push_back({connection_id, counters, offset, static_cast<std::uint32_t>(size)});
  if (posted_) return Added::kAdded;
  posted_ = true;
  return Added::kAddedPostNeeded;
}

void HandoffLane::take(Batch& into) {
  into.items.clear();
  into.bytes.clear();
  std::lock_guard lock(mutex_);
  std::swap(into, batch_);
  posted_ = false;
}

void HandoffLane::give_back(Batch& used) {
  used.items.clear();
  used.bytes.clear();
  std::lock_guard lock(mutex_);
  // Keep the larger storage for the lane when it is still empty.
  if (batch_.items.empty() && batch_.items.capacity() < used.items.capacity()) std::swap(batch_, used);
}

void HandoffLane::abandon() {
  std::lock_guard lock(mutex_);
  for (auto& item : batch_.items) item.counters->count_drop();
  batch_.items.clear();
  batch_.bytes.clear();
  posted_ = false;
}

}  // namespace qsip::server::media
