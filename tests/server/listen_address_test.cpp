#include "server/listen_address.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>

namespace qsip::server {
namespace {

TEST(ListenAddress, ParsesTheDefaultForms) {
  auto v6 = parse_listen_address("[::]:4433");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::");
  EXPECT_EQ(v6->port, 4433);
  EXPECT_EQ(v6->family, AF_INET6);
  auto v4 = parse_listen_address("0.0.0.0:4433");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->family, AF_INET);
  auto ephemeral = parse_listen_address("127.0.0.1:0");
  ASSERT_TRUE(ephemeral);
  EXPECT_EQ(ephemeral->port, 0);
  EXPECT_TRUE(parse_listen_address("[::1]:65535"));
}

TEST(ListenAddress, RejectsMalformedAddressesWithAReason) {
  for (const char* bad : {"", "4433", ":4433", "[::]", "[::]4433", "[::1:4433", "::1:4433", "localhost:4433",
                          "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:44x", "256.0.0.1:1",
                          "[127.0.0.1]:1", "[]:1"}) {
    std::string why;
    EXPECT_FALSE(parse_listen_address(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(ListenAddress, PrintsWhatItParses) {
  for (const char* text : {"[::]:4433", "0.0.0.0:4433", "127.0.0.1:0", "[fe80::1]:9"}) {
    EXPECT_EQ(parse_listen_address(text)->to_string(), text);
  }
}

TEST(ListenAddress, ConvertsToAndFromSockaddr) {
  auto address = parse_listen_address("[::1]:9090");
  sockaddr_storage storage;
  EXPECT_EQ(address->to_sockaddr(storage), sizeof(sockaddr_in6));
  auto back = listen_address_from_sockaddr(reinterpret_cast<const sockaddr*>(&storage));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *address);

  auto v4 = parse_listen_address("127.0.0.1:80");
  EXPECT_EQ(v4->to_sockaddr(storage), sizeof(sockaddr_in));
  EXPECT_EQ(*listen_address_from_sockaddr(reinterpret_cast<const sockaddr*>(&storage)), *v4);
}

}  // namespace
}  // namespace qsip::server
