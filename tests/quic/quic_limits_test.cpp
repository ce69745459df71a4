// The endpoint's admission limits, each reached and observed: too many
// connections, too many handshakes from one address, Retry once too many
// handshakes are in flight.
#include "quic_test_support.hpp"

namespace qsip::quic::test {

TEST_F(QuicTest, ConnectionsBeyondTheMaximumAreRefused) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.max_connections = 2;
  start_server(sc);
  client_->connect(client_config());
  client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 2; }));
  client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  EXPECT_EQ(client_handler_.established, 2);
  const CloseInfo& refused = client_handler_.closed_records.at(0).close;
  EXPECT_EQ(refused.kind, CloseKind::kPeer);
  EXPECT_FALSE(refused.application_error);
  EXPECT_EQ(refused.error_code, uint64_t{NGTCP2_CONNECTION_REFUSED});
  auto refusals = server_->stats().snapshot().refusals;
  EXPECT_GE(refusals[static_cast<unsigned>(RefusalReason::kMaxConnections)], 1u);
}

TEST_F(QuicTest, HandshakesBeyondTheRatePerAddressGetNoAnswer) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.handshakes_per_second_per_address = 0.5;  // a burst of 3, then one every two seconds
  sc.handshake_burst = 3;
  start_server(sc);
  ClientConfig cc = client_config();
  cc.limits.handshake_timeout = std::chrono::milliseconds(1500);
  for (int i = 0; i < 5; ++i) client_->connect(cc);
  ASSERT_TRUE(run_until([&] { return client_handler_.established + client_handler_.closed == 5; }));
  EXPECT_EQ(client_handler_.established, 3);
  EXPECT_EQ(client_handler_.closed, 2);  // their Initials were dropped: handshake timeout
  auto refusals = server_->stats().snapshot().refusals;
  EXPECT_GE(refusals[static_cast<unsigned>(RefusalReason::kHandshakeRate)], 2u);
}

TEST_F(QuicTest, RetryStartsWhenHandshakesInFlightReachTheThreshold) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.retry = RetryPolicy::kAuto;
  sc.retry_threshold = 1;
  start_server(sc);
  for (int i = 0; i < 20; ++i) client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 20; }));
  EXPECT_GE(server_->stats().snapshot().retries_sent, 1u);  // validated, and still connected
}

TEST_F(QuicTest, NoRetryBelowTheThreshold) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.retry = RetryPolicy::kAuto;
  sc.retry_threshold = 1000;
  start_server(sc);
  client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  EXPECT_EQ(server_->stats().snapshot().retries_sent, 0u);
}

}  // namespace qsip::quic::test
