// Connection IDs as hash-map keys, and the server's CID layout: the first
// byte names the worker that owns the connection, so a packet that reaches
// another worker's socket (after a migration) can be handed to its owner.
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

namespace qsip::quic {

// Length of the CIDs this endpoint chooses (server and client roles).
inline constexpr size_t kServerCidLength = 17;
inline constexpr size_t kClientCidLength = 17;

struct CidKey {
  std::array<uint8_t, NGTCP2_MAX_CIDLEN> bytes{};
  uint8_t len = 0;

  CidKey() = default;
  CidKey(const uint8_t* data, size_t n) : len(static_cast<uint8_t>(n)) {
    std::memcpy(bytes.data(), data, n);
  }
  explicit CidKey(const ngtcp2_cid& cid) : CidKey(cid.data, cid.datalen) {}
  bool operator==(const CidKey& o) const {
    return len == o.len && std::memcmp(bytes.data(), o.bytes.data(), len) == 0;
  }
};

struct CidKeyHash {
  size_t operator()(const CidKey& k) const {
    // CIDs are random (after our first byte): any slice is a good hash.
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(k.bytes.data()), k.len));
  }
};

// The worker encoded in a CID this server chose.
inline unsigned cid_owner(const uint8_t* cid) { return cid[0]; }

}  // namespace qsip::quic
