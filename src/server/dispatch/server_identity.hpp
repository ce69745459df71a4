// How the server signs what it originates (wire profile 4: from.user_id =
// server id, from.device_id = node id), with fresh message ids and the
// current time. One per worker: the id generator is not shared.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "core/envelope_builder.hpp"
#include "core/uuid.hpp"

namespace qsip::server {

class ServerIdentity {
 public:
  ServerIdentity(std::string server_id, std::string node_id)
      : server_id_(std::move(server_id)), node_id_(std::move(node_id)), random_(std::random_device{}()) {}

  const std::string& server_id() const { return server_id_; }
  const std::string& node_id() const { return node_id_; }

  std::string new_message_id() {
    std::array<std::uint8_t, 16> bytes{};
    std::uint64_t a = random_(), b = random_();
    for (int i = 0; i < 8; ++i) {
      bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
      bytes[static_cast<std::size_t>(i + 8)] = static_cast<std::uint8_t>(b >> (8 * i));
    }
    return core::uuid_v4(bytes);
  }
  static std::string now() { return core::format_timestamp(std::chrono::system_clock::now()); }

 private:
  std::string server_id_;
  std::string node_id_;
  std::mt19937_64 random_;
};

}  // namespace qsip::server
