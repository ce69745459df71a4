// What presence is (draft 5.2) and how a user's follows from its devices':
// the device with the highest status in the order available > busy > dnd >
// away > offline wins, and its status_message, activity and last_active_at
// become the user's (ties: the device that changed last). A user none of
// whose devices has published presence is offline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::server {

struct PresenceInfo {
  std::string status = "offline";
  std::string status_message;  // empty: absent
  std::string activity;        // empty: absent
  std::string last_active_at;  // empty: unknown
  bool operator==(const PresenceInfo&) const = default;
};

struct DevicePresence {
  std::string device_id;
  std::uint64_t connection_id = 0;  // the connection that published it
  PresenceInfo info;
  std::uint64_t sequence = 0;       // order of changes, for ties
  std::string last_message_id;      // a replayed PRESENCE (0-RTT) changes nothing
};

// 0 for available ... 4 for offline (and anything unknown).
int status_rank(std::string_view status);

PresenceInfo aggregate(const std::vector<DevicePresence>& devices);

}  // namespace qsip::server
