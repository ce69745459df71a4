// Who is online, and where: user -> devices -> the connection each device
// is registered on. Read and written by every worker, so it is sharded by
// user with a short lock per shard; lookups return copies, never references
// into the table. The store is never consulted on this path.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qsip::server {

struct DeviceAddress {
  std::string device_id;
  std::uint64_t connection_id = 0;  // quic::Connection::id(): names its worker too
  std::string token_id;             // jti of the token it registered with (for revocation)
};

class DeviceDirectory {
 public:
  // The device is now reachable on `connection_id`. Returns the connection it
  // was registered on before, if another one (the caller closes it: the same
  // device reconnecting replaces its old connection).
  std::optional<std::uint64_t> attach(const std::string& user_id, const std::string& device_id,
                                      std::uint64_t connection_id, const std::string& token_id = {});
  // Forgets the device, but only if it is still registered on `connection_id`
  // (a newer connection of the same device stays).
  void detach(const std::string& user_id, const std::string& device_id, std::uint64_t connection_id);

  std::vector<DeviceAddress> devices(std::string_view user_id) const;
  bool online(std::string_view user_id) const;
  std::size_t user_count() const;

 private:
  static constexpr std::size_t kShards = 64;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::vector<DeviceAddress>> users;
  };
  Shard& shard(std::string_view user_id) const;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace qsip::server
