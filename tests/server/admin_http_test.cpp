#include "server/admin_http.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/http_get.hpp"
#include "server/server_metrics.hpp"

namespace qsip::server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class AdminHttp : public ::testing::Test {
 protected:
  AdminHttp()
      : metrics_(registry_),
        logger_(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())),
        admin_(registry_, readiness_, logger_) {}

  std::string url(const std::string& path) const {
    return "http://" + admin_.address().to_string() + path;
  }

  MetricsRegistry registry_;
  ServerMetrics metrics_;
  Readiness readiness_;
  std::shared_ptr<spdlog::logger> logger_;
  AdminHttpServer admin_;
};

bool ipv6_loopback_available() {
  int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

TEST_F(AdminHttp, StartsOnAnEphemeralPortAndReportsIt) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  EXPECT_NE(admin_.address().port, 0);
  EXPECT_EQ(admin_.address().host, "127.0.0.1");
}

TEST_F(AdminHttp, HealthzIs503UntilReadyThen200) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  auto before = test::http_request(url("/healthz"));
  EXPECT_EQ(before.status, 503) << before.error;
  readiness_.set(true);
  auto after = test::http_request(url("/healthz"));
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, "ok\n");
  readiness_.set(false);
  EXPECT_EQ(test::http_request(url("/healthz")).status, 503);
}

TEST_F(AdminHttp, MetricsServesThePrometheusTextFormat) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  metrics_.messages_in.labels({"MESSAGE"}).inc(5);
  auto r = test::http_request(url("/metrics"));
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.content_type, StartsWith("text/plain; version=0.0.4"));
  EXPECT_THAT(r.body, HasSubstr("# TYPE qsip_connections gauge\n"));
  EXPECT_THAT(r.body, HasSubstr("# TYPE qsip_handshake_duration_seconds histogram\n"));
  EXPECT_THAT(r.body, HasSubstr("qsip_messages_in_total{type=\"MESSAGE\"} 5\n"));
  EXPECT_THAT(r.body, HasSubstr("# TYPE qsip_send_queue_bytes gauge\n"));
}

TEST_F(AdminHttp, OtherPathsAre404AndOtherMethods405) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  EXPECT_EQ(test::http_request(url("/")).status, 404);
  EXPECT_EQ(test::http_request(url("/metrics/extra")).status, 404);
  EXPECT_EQ(test::http_request(url("/healthz"), "POST").status, 405);
  EXPECT_EQ(test::http_request(url("/metrics"), "HEAD").status, 200);
}

TEST_F(AdminHttp, ServesOnIpv6) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_FALSE(admin_.start(*parse_listen_address("[::1]:0")));
  readiness_.set(true);
  auto r = test::http_request(url("/healthz"));
  EXPECT_EQ(r.status, 200) << url("/healthz") << " " << r.error;
}

TEST_F(AdminHttp, AnAddressInUseIsAnErrorNamingIt) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  AdminHttpServer second(registry_, readiness_, logger_);
  auto err = second.start(admin_.address());
  ASSERT_TRUE(err);
  EXPECT_THAT(*err, HasSubstr(admin_.address().to_string()));
}

TEST_F(AdminHttp, StopIsIdempotentAndClosesThePort) {
  ASSERT_FALSE(admin_.start(*parse_listen_address("127.0.0.1:0")));
  std::string healthz = url("/healthz");
  admin_.stop();
  admin_.stop();
  EXPECT_EQ(test::http_request(healthz).status, 0);
}

}  // namespace
}  // namespace qsip::server
