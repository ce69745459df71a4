// The presence of every user, in memory: per user, the presence each of its
// devices published and the aggregate watchers see (presence_state.hpp).
// Read and written by every worker, so it is sharded by user with a short
// lock per shard, like DeviceDirectory; results are copies. A user's entry
// stays after its last device leaves, so that watchers keep learning when
// it was last active.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/presence/presence_state.hpp"

namespace qsip::server {

struct PresenceChange {
  bool device_changed = false;  // the device's own presence changed
  bool user_changed = false;    // the aggregate changed: watchers must hear it
  PresenceInfo device;          // the device's presence after the change (offline when it left)
  PresenceInfo user;            // the aggregate after the change
};

class PresenceTable {
 public:
  // A device published presence. The same presence again, or the same
  // message_id again (a 0-RTT replay), changes nothing. Without a
  // last_active_at the device was last active `now`, unless only a repeat
  // of its presence came (a periodic refresh is not a change watchers hear).
  PresenceChange publish(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id,
                         PresenceInfo info, std::string_view message_id, const std::string& now);
  // The device's connection went away: it stops counting, but only if it
  // published on `connection_id` (a newer connection of the same device
  // stays). When no device is left the user is offline, last active `now`.
  PresenceChange leave(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id,
                       const std::string& now);
  // The aggregate (offline with no last_active_at for a user never seen).
  PresenceInfo current(std::string_view user_id) const;
  // Whether any device of the user counts now.
  bool publishing(std::string_view user_id) const;
  // Told (outside the table's locks, on the worker that made the change)
  // of every change of a user's aggregate; it reads current() for the
  // state. Set before the workers start. The queue module watches agents so.
  void set_listener(std::function<void(const std::string& user_id)> listener) { listener_ = std::move(listener); }

 private:
  struct UserEntry {
    std::vector<DevicePresence> devices;
    PresenceInfo aggregate;
  };
  static constexpr std::size_t kShards = 64;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, UserEntry> users;
    std::uint64_t sequence = 0;
  };
  Shard& shard(std::string_view user_id) const;
  PresenceChange publish_entry(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id,
                               PresenceInfo info, std::string_view message_id, const std::string& now);
  PresenceChange leave_entry(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id,
                             const std::string& now);
  mutable std::array<Shard, kShards> shards_;
  std::function<void(const std::string& user_id)> listener_;
};

}  // namespace qsip::server
