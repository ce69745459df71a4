// [audit] ip_addresses: each mode on IPv4, IPv6 and IPv4-mapped addresses.
#include "server/audit/audit_ip.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

using namespace qsip::server;

TEST(AuditIp, FullKeepsTheAddress) {
  AuditSettings s;
  EXPECT_EQ(pseudonymize_ip("198.51.100.23", s), "198.51.100.23");
  EXPECT_EQ(pseudonymize_ip("", s), "");
}

TEST(AuditIp, TruncatedZeroesTheHostPart) {
  AuditSettings s{AuditIpMode::truncated, {}};
  EXPECT_EQ(pseudonymize_ip("198.51.100.23", s), "198.51.100.0");
  EXPECT_EQ(pseudonymize_ip("2001:db8:1234:5678:9abc::1", s), "2001:db8:1234::");
  EXPECT_EQ(pseudonymize_ip("::ffff:198.51.100.23", s), "::ffff:198.51.100.0");
  EXPECT_EQ(pseudonymize_ip("not an address", s), "");
}

TEST(AuditIp, HashedIsAStableKeyedPseudonym) {
  AuditSettings s{AuditIpMode::hashed, std::string(32, 'k')};
  auto a = pseudonymize_ip("198.51.100.23", s);
  EXPECT_EQ(a.size(), 34u);
  EXPECT_EQ(a.rfind("h:", 0), 0u);
  EXPECT_EQ(a, pseudonymize_ip("198.51.100.23", s));
  EXPECT_NE(a, pseudonymize_ip("198.51.100.24", s));
  EXPECT_EQ(a.find("198"), std::string::npos);
  AuditSettings other{AuditIpMode::hashed, std::string(32, 'x')};
  EXPECT_NE(a, pseudonymize_ip("198.51.100.23", other));
  // Without a key nothing is kept rather than the address.
  EXPECT_EQ(pseudonymize_ip("198.51.100.23", AuditSettings{AuditIpMode::hashed, {}}), "");
}

TEST(AuditIp, NoneKeepsNothing) {
  EXPECT_EQ(pseudonymize_ip("198.51.100.23", AuditSettings{AuditIpMode::none, {}}), "");
}

TEST(AuditIp, TheKeyIsCreatedOnceAndKept) {
  auto dir = std::filesystem::temp_directory_path() / ("qsip-audit-key-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto key = load_or_create_audit_ip_key(dir);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(load_or_create_audit_ip_key(dir), key);
  EXPECT_EQ(std::filesystem::status(dir / "audit-ip-key").permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
  std::filesystem::remove_all(dir);
}
