#include "server/routing/device_directory.hpp"

#include <algorithm>
#include <functional>

namespace qsip::server {

DeviceDirectory::Shard& DeviceDirectory::shard(std::string_view user_id) const {
  return shards_[std::hash<std::string_view>{}(user_id) % kShards];
}

std::optional<std::uint64_t> DeviceDirectory::attach(const std::string& user_id, const std::string& device_id,
                                                     std::uint64_t connection_id, const std::string& token_id) {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto& devices = s.users[user_id];
  for (auto& d : devices) {
    if (d.device_id != device_id) continue;
    std::uint64_t previous = d.connection_id;
    d.connection_id = connection_id;
    d.token_id = token_id;
    if (previous != connection_id) return previous;
    return std::nullopt;
  }
  devices.push_back({device_id, connection_id, token_id});
  return std::nullopt;
}

void DeviceDirectory::detach(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id) {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto it = s.users.find(user_id);
  if (it == s.users.end()) return;
  std::erase_if(it->second, [&](const DeviceAddress& d) {
    return d.device_id == device_id && d.connection_id == connection_id;
  });
  if (it->second.empty()) s.users.erase(it);
}

std::vector<DeviceAddress> DeviceDirectory::devices(std::string_view user_id) const {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  auto it = s.users.find(std::string(user_id));
  return it == s.users.end() ? std::vector<DeviceAddress>{} : it->second;
}

bool DeviceDirectory::online(std::string_view user_id) const {
  auto& s = shard(user_id);
  std::lock_guard lock(s.mutex);
  return s.users.count(std::string(user_id)) != 0;
}

std::size_t DeviceDirectory::user_count() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.users.size();
  }
  return n;
}

}  // namespace qsip::server
