#include "server/audit/audit_ip.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace qsip::server {

namespace {

constexpr std::size_t kKeyBytes = 32;

std::string truncate_ip(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    auto* bytes = reinterpret_cast<unsigned char*>(&v4.s_addr);
    bytes[3] = 0;
    char text[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v4, text, sizeof text) ? std::string(text) : std::string();
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    static constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    bool mapped = std::equal(kMapped.begin(), kMapped.end(), v6.s6_addr);
    if (mapped) {
      v6.s6_addr[15] = 0;  // ::ffff:a.b.c.0
    } else {
      for (int i = 6; i < 16; ++i) v6.s6_addr[i] = 0;
    }
    char text[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, &v6, text, sizeof text) ? std::string(text) : std::string();
  }
  return {};
}

std::string hash_ip(std::string_view address, const std::string& key) {
  std::array<unsigned char, 32> mac{};
  if (key.empty() ||
      gnutls_hmac_fast(GNUTLS_MAC_SHA256, key.data(), key.size(), address.data(), address.size(), mac.data()) != 0)
    return {};  // never the address itself when it cannot be hashed
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "h:";
  for (std::size_t i = 0; i < 16; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string pseudonymize_ip(std::string_view address, const AuditSettings& settings) {
  if (address.empty()) return {};
  switch (settings.ip_mode) {
    case AuditIpMode::full: return std::string(address);
    case AuditIpMode::truncated: return truncate_ip(std::string(address));
    case AuditIpMode::hashed: return hash_ip(address, settings.ip_hash_key);
    case AuditIpMode::none: return {};
  }
  return {};
}

std::string load_or_create_audit_ip_key(const std::filesystem::path& data_dir) {
  const auto path = data_dir / "audit-ip-key";
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string key{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (key.size() == kKeyBytes) return key;
    throw std::runtime_error(path.string() + " is not a 32-byte secret");
  }
  std::string key(kKeyBytes, '\0');
  if (gnutls_rnd(GNUTLS_RND_KEY, key.data(), key.size()) != 0) throw std::runtime_error("no random bytes for " + path.string());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    // Another process (qsipd and an operator command) created it meanwhile.
    std::ifstream again(path, std::ios::binary);
    std::string existing{std::istreambuf_iterator<char>(again), std::istreambuf_iterator<char>()};
    if (existing.size() == kKeyBytes) return existing;
    throw std::runtime_error("cannot create " + path.string());
  }
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + path.string());
  return key;
}

}  // namespace qsip::server
