// One connected device's place in the message stream, kept by the worker
// that owns its connection (no locks). It decides, for each durable event,
// whether to push it now, and when the pager must read the backlog from the
// store instead: a device that is catching up, or whose unacknowledged
// events passed the high-water mark, is fed from the store in seq order, a
// window at a time as its acknowledgements come back. So a slow device never
// makes the server queue without bound, and order per device is seq order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>

#include "store/message_store.hpp"

namespace qsip::server {

class DeviceFeed {
 public:
  struct Limits {
    std::size_t window = 256;        // unacknowledged events while catching up
    std::size_t high_water = 4096;   // unacknowledged live events before falling back to the store
    std::int64_t persist_every = 64; // acknowledged events between cursor writes
  };

  // `cursor`: the last seq the device acknowledged (from the store). The
  // feed starts catching up from there.
  DeviceFeed(store::DeviceKey key, std::int64_t cursor, Limits limits);

  const store::DeviceKey& key() const { return key_; }
  std::int64_t sent_seq() const { return sent_seq_; }
  std::int64_t acked_seq() const { return acked_seq_; }
  bool catching_up() const { return catching_up_; }

  // A live event committed to the stream for this device: true when the
  // caller should push it now (then call sent()); false when it was sent
  // already or the pager will read it from the store.
  bool offer(std::int64_t seq);
  // The event `seq` was pushed to the device.
  void sent(std::int64_t seq);
  // How many events the pager may push now (0 when not catching up).
  std::size_t room() const;
  // The pager found nothing more in the store: live pushing resumes.
  void caught_up() { catching_up_ = false; }

  // Urgent messages of a backlog go first, ahead of their turn. The pager
  // asks once per catch-up (true the first time), pushes them and calls
  // sent_early(); their turn in seq order then skips them (is_early()).
  bool take_urgent_turn();
  void sent_early(std::int64_t seq);
  bool is_early(std::int64_t seq) const { return early_.count(seq) != 0; }

  // The device acknowledged `seq` (and, cumulatively, what came before it
  // on its stream). True when the cursor should be written now.
  bool ack(std::int64_t seq);
  // The cursor to write (when above what was written), and record it as written.
  std::int64_t take_cursor_to_persist();
  bool has_unpersisted() const { return acked_seq_ > persisted_seq_; }

 private:
  store::DeviceKey key_;
  Limits limits_;
  std::int64_t sent_seq_;
  std::int64_t acked_seq_;
  std::int64_t persisted_seq_;
  bool catching_up_ = true;
  std::deque<std::int64_t> in_flight_;  // pushed, not yet acknowledged, ascending
  // Pushed ahead of their turn. Their acknowledgements do not move the
  // cursor (the events before them may not be there yet).
  std::set<std::int64_t> early_;
  bool urgent_turn_taken_ = false;
};

}  // namespace qsip::server
