// Datagrams one worker hands to another for the receivers that worker
// owns: appended under a short lock into one byte buffer, and carried over
// by a single posted task however many pile up before it runs (one task per
// batch, not per datagram). Bounded in bytes; what does not fit is dropped
// and counted on its receiver flow, like any datagram a receiver cannot take.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "server/media/flow_counters.hpp"

namespace qsip::server::media {

class HandoffLane {
 public:
  static constexpr std::size_t kMaxBytes = 512 * 1024;

  struct Item {
    std::uint64_t connection_id;
    std::shared_ptr<FlowCounters> counters;  // the receiver flow's
    std::uint32_t offset;
    std::uint32_t size;
  };
  struct Batch {
    std::vector<Item> items;
    std::string bytes;
    std::span<const std::uint8_t> datagram(const Item& item) const {
      return {reinterpret_cast<const std::uint8_t*>(bytes.data()) + item.offset, item.size};
    }
  };

  enum class Added { kAdded, kAddedPostNeeded, kFull };
  // Appends the datagram made of `prefix` then `body`. kAddedPostNeeded: the
  // lane was idle, the caller posts one task that takes() it.
  Added add(std::uint64_t connection_id, const std::shared_ptr<FlowCounters>& counters,
            std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> body);
  // On the receiving worker: everything queued so far (the lane is idle
  // again). `spare` is reused for the next batch's storage.
  void take(Batch& into);
  // Hands the emptied storage of a processed batch back for reuse.
  void give_back(Batch& used);
  // The post failed: drop what waits (counted) and go idle.
  void abandon();

 private:
  std::mutex mutex_;
  Batch batch_;
  bool posted_ = false;
};

}  // namespace qsip::server::media
