// Connection lifecycle over loopback: migration, idle timeout, resumption
// with 0-RTT, graceful shutdown and stateless reset.
#include "quic_test_support.hpp"

namespace qsip::quic::test {
namespace {

// Sends `text` on a new stream and waits for the echo (with FIN).
bool echo_round_trip(QuicTest* t, Connection& c, RecordingClientHandler& h, const std::string& text,
                     const std::function<bool(const std::function<bool()>&)>& run) {
  const int64_t sid = c.open_bidi_stream();
  if (sid < 0) return false;
  h.records[&c].stream_bytes.clear();
  h.records[&c].fin = false;
  c.send(sid, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, SendOptions{true, false});
  (void)t;
  return run([&] { return h.records[&c].fin; }) &&
         h.records[&c].stream_bytes == std::vector<uint8_t>(text.begin(), text.end());
}

TEST_F(QuicTest, MigrationToNewPortKeepsConnection) {
  start_server(server_config());
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  auto run = [this](const std::function<bool()>& f) { return run_until(f); };
  ASSERT_TRUE(echo_round_trip(this, c, client_handler_, "before", run));
  // Several migrations: with two workers some new ports hash to the worker
  // that does not own the connection, exercising inbox forwarding.
  for (int i = 0; i < 4; ++i) {
    int rv = NGTCP2_ERR_CONN_ID_BLOCKED;
    ASSERT_TRUE(run_until([&] {
      rv = c.migrate();
      return rv != NGTCP2_ERR_CONN_ID_BLOCKED;
    }));
    ASSERT_EQ(rv, 0) << ngtcp2_strerror(rv);
    ASSERT_TRUE(echo_round_trip(this, c, client_handler_, "after migration " + std::to_string(i), run));
  }
  EXPECT_EQ(client_handler_.closed, 0);
}

TEST_F(QuicTest, IdleTimeoutClosesAndTellsApplication) {
  ServerConfig sc = server_config();
  sc.limits.idle_timeout = std::chrono::milliseconds(500);
  start_server(sc);
  ClientConfig cc = client_config();
  cc.limits.keepalive = std::chrono::milliseconds(0);
  cc.limits.idle_timeout = std::chrono::milliseconds(500);
  client_->connect(cc);
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  EXPECT_EQ(client_handler_.closed_records.at(0).close.kind, CloseKind::kIdleTimeout);
  ASSERT_TRUE(run_until([&] { return server_->stats().snapshot().idle_timeouts >= 1; }));
  EXPECT_TRUE(run_until([&] { return server_read<int>([&] { return server_handler_.closed; }) == 1; }));
}

TEST_F(QuicTest, KeepaliveHoldsIdleClient) {
  ServerConfig sc = server_config();
  sc.limits.idle_timeout = std::chrono::milliseconds(600);
  start_server(sc);
  ClientConfig cc = client_config();
  cc.limits.keepalive = std::chrono::milliseconds(150);
  client_->connect(cc);
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  run_until([] { return false; }, std::chrono::milliseconds(2000));
  EXPECT_EQ(client_handler_.closed, 0);
}

TEST_F(QuicTest, ResumptionWithZeroRtt) {
  start_server(server_config());
  Connection& first = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  ASSERT_TRUE(run_until([&] { return !client_handler_.last_ticket.empty(); }));
  EXPECT_FALSE(client_handler_.records[&first].info.resumed);
  first.close(kAppErrorNoError);
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));

  ClientConfig cc = client_config();
  cc.session_ticket = client_handler_.last_ticket;
  Connection& second = client_->connect(cc);
  // Written before the handshake completes: goes out as 0-RTT.
  const int64_t sid = second.open_bidi_stream();
  ASSERT_GE(sid, 0) << ngtcp2_strerror(static_cast<int>(sid));
  const auto msg = bytes("early hello");
  ASSERT_EQ(second.send(sid, msg, SendOptions{true, false}), SendResult::kQueued);
  ASSERT_TRUE(run_until([&] { return client_handler_.records[&second].fin; }));
  EXPECT_EQ(client_handler_.records[&second].stream_bytes, msg);
  EXPECT_TRUE(client_handler_.records[&second].info.resumed);
  EXPECT_TRUE(client_handler_.records[&second].info.early_data_accepted);
  ASSERT_TRUE(run_until([&] {
    return server_read<int>([&] { return server_handler_.early_accepted; }) == 1;
  }));
  EXPECT_EQ(server_read<size_t>([&] { return server_handler_.early_bytes; }), msg.size());
}

TEST_F(QuicTest, GracefulShutdownClosesClientsWithGoingAway) {
  start_server(server_config());
  constexpr int kClients = 10;
  for (int i = 0; i < kClients; ++i) client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == kClients; }));
  // Let the handshakes be confirmed on both sides (HANDSHAKE_DONE acked), so
  // the close goes out in 1-RTT packets carrying the application code.
  run_until([] { return false; }, std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  server_->stop(std::chrono::seconds(5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == kClients; }));
  for (const auto& r : client_handler_.closed_records) {
    EXPECT_EQ(r.close.kind, CloseKind::kPeer);
    EXPECT_TRUE(r.close.application_error);
    EXPECT_EQ(r.close.error_code, kAppErrorGoingAway);
  }
}

TEST_F(QuicTest, StatelessResetAfterServerLosesState) {
  ServerConfig sc = server_config();
  sc.static_secret.assign(32, 0x42);
  start_server(sc);
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  auto run = [this](const std::function<bool()>& f) { return run_until(f); };
  ASSERT_TRUE(echo_round_trip(this, c, client_handler_, "warm up", run));
  // A crash: the server forgets everything without telling anyone; a new
  // server with the same secret on the same port answers with a reset.
  server_->stop(std::chrono::seconds(1), /*notify_peers=*/false);
  server_.reset();
  sc.listen = {"127.0.0.1:" + std::to_string(port_)};
  start_server(sc);
  const int64_t sid = c.open_bidi_stream();
  ASSERT_GE(sid, 0);
  c.send(sid, bytes("anyone there?"));
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  EXPECT_EQ(client_handler_.closed_records.at(0).close.kind, CloseKind::kStatelessReset);
  // The worker counts the reset just after sending it: wait, do not race.
  EXPECT_TRUE(run_until([&] { return server_->stats().snapshot().stateless_resets_sent >= 1; }));
}

TEST_F(QuicTest, CertificateReloadServesNewCertificate) {
  start_server(server_config());
  const std::string cert2 = (*dir_ / "cert2.pem").string();
  const std::string key2 = (*dir_ / "key2.pem").string();
  generate_self_signed_certificate(cert2, key2, "localhost");
  server_->reload_certificate(cert2, key2);
  ClientConfig cc = client_config();
  cc.tls.check = CertificateCheck::kPin;
  cc.tls.pin_sha256 = certificate_sha256_pin(cert2);
  client_->connect(cc);
  ASSERT_TRUE(run_until([&] { return client_handler_.established + client_handler_.closed == 1; }));
  EXPECT_EQ(client_handler_.established, 1);
}

}  // namespace
}  // namespace qsip::quic::test
