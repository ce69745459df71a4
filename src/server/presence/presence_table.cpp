#include "server/presence/presence_table.hpp"

#include <algorithm>
#include <functional>

namespace qsip::server {

PresenceTable::Shard& PresenceTable::shard(std::string_view user_id) const {
  return shards_[std::hash<std::string_view>{}(user_id) % kShards];
}

PresenceChange PresenceTable::publish_entry(const std::string& user_id, const std::string& device_id,
                                      std::uint64_t connection_id, PresenceInfo info, std::string_view message_id,
                                      const std::string& now) {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto& entry = s.users[user_id];
  PresenceChange change;
  auto it = std::find_if(entry.devices.begin(), entry.devices.end(),
                         [&](const DevicePresence& d) { return d.device_id == device_id; });
  if (info.last_active_at.empty()) {
    bool repeat = it != entry.devices.end() && it->info.status == info.status &&
                  it->info.status_message == info.status_message && it->info.activity == info.activity;
    info.last_active_at = repeat ? it->info.last_active_at : now;
  }
  const DevicePresence* device = nullptr;
  if (it == entry.devices.end()) {
    entry.devices.push_back({device_id, connection_id, info, ++s.sequence, std::string(message_id)});
    device = &entry.devices.back();
    change.device_changed = true;
  } else {
    device = &*it;
    it->connection_id = connection_id;
    if (it->last_message_id != message_id && !(it->info == info)) {
      it->info = info;
      it->sequence = ++s.sequence;
      change.device_changed = true;
    }
    it->last_message_id = std::string(message_id);
  }
  change.device = device->info;
  PresenceInfo after = aggregate(entry.devices);
  change.user_changed = !(after == entry.aggregate);
  entry.aggregate = after;
  change.user = after;
  return change;
}

PresenceChange PresenceTable::leave_entry(const std::string& user_id, const std::string& device_id,
                                    std::uint64_t connection_id, const std::string& now) {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  PresenceChange change;
  auto found = s.users.find(user_id);
  if (found == s.users.end()) return change;
  auto& entry = found->second;
  change.user = entry.aggregate;
  auto removed = std::erase_if(entry.devices, [&](const DevicePresence& d) {
    return d.device_id == device_id && d.connection_id == connection_id;
  });
  if (removed == 0) return change;
  change.device_changed = true;
  change.device = PresenceInfo{"offline", {}, {}, now};
  PresenceInfo after = entry.devices.empty() ? PresenceInfo{"offline", {}, {}, now} : aggregate(entry.devices);
  change.user_changed = !(after == entry.aggregate);
  entry.aggregate = after;
  change.user = after;
  return change;
}

PresenceChange PresenceTable::publish(const std::string& user_id, const std::string& device_id,
                                      std::uint64_t connection_id, PresenceInfo info, std::string_view message_id,
                                      const std::string& now) {
  auto change = publish_entry(user_id, device_id, connection_id, std::move(info), message_id, now);
  if (change.user_changed && listener_) listener_(user_id);
  return change;
}

PresenceChange PresenceTable::leave(const std::string& user_id, const std::string& device_id,
                                    std::uint64_t connection_id, const std::string& now) {
  auto change = leave_entry(user_id, device_id, connection_id, now);
  if (change.user_changed && listener_) listener_(user_id);
  return change;
}

PresenceInfo PresenceTable::current(std::string_view user_id) const {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto it = s.users.find(std::string(user_id));
  return it == s.users.end() ? PresenceInfo{} : it->second.aggregate;
}

bool PresenceTable::publishing(std::string_view user_id) const {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto it = s.users.find(std::string(user_id));
  return it != s.users.end() && !it->second.devices.empty();
}

}  // namespace qsip::server
