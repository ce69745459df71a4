#include "server/messaging/device_feed.hpp"

#include <algorithm>

namespace qsip::server {

DeviceFeed::DeviceFeed(store::DeviceKey key, std::int64_t cursor, Limits limits)
    : key_(std::move(key)), limits_(limits), sent_seq_(cursor), acked_seq_(cursor), persisted_seq_(cursor) {}

bool DeviceFeed::offer(std::int64_t seq) {
  if (seq <= sent_seq_) return false;  // the pager sent it already
  if (catching_up_) return false;      // the pager will read it, in order
  if (in_flight_.size() >= limits_.high_water) {
    // The device is not keeping up: stop queueing live events and let the
    // pager feed it from the store as acknowledgements return.
    catching_up_ = true;
    return false;
  }
  return true;
}

void DeviceFeed::sent(std::int64_t seq) {
  sent_seq_ = std::max(sent_seq_, seq);
  in_flight_.push_back(seq);
  // Urgent ones behind the in-order position are no longer ahead.
  while (!early_.empty() && *early_.begin() <= sent_seq_) early_.erase(early_.begin());
}

std::size_t DeviceFeed::room() const {
  if (!catching_up_ || in_flight_.size() >= limits_.window) return 0;
  return limits_.window - in_flight_.size();
}

bool DeviceFeed::take_urgent_turn() {
  if (urgent_turn_taken_) return false;
  urgent_turn_taken_ = true;
  return true;
}

void DeviceFeed::sent_early(std::int64_t seq) { early_.insert(seq); }

bool DeviceFeed::ack(std::int64_t seq) {
  // An urgent message sent ahead says nothing of the ones before it.
  if (seq > sent_seq_ && early_.count(seq) != 0) return false;
  if (seq <= acked_seq_) return false;
  acked_seq_ = seq;
  while (!in_flight_.empty() && in_flight_.front() <= seq) in_flight_.pop_front();
  return acked_seq_ - persisted_seq_ >= limits_.persist_every;
}

std::int64_t DeviceFeed::take_cursor_to_persist() {
  persisted_seq_ = acked_seq_;
  return acked_seq_;
}

}  // namespace qsip::server
