// Behaviour of the QUIC endpoint over real loopback sockets: handshake,
// streams, datagrams, ALPN refusal, many connections, back-pressure.
#include <cstdlib>

#include "quic_test_support.hpp"

namespace qsip::quic::test {
namespace {

TEST_F(QuicTest, HandshakeWithAlpnAndStreamEcho) {
  start_server(server_config());
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1 || client_handler_.closed == 1; }));
  ASSERT_EQ(client_handler_.closed, 0) << client_handler_.closed_records[0].close.error_code;
  EXPECT_EQ(client_handler_.records[&c].info.alpn, "qsip/1");
  const int64_t sid = c.open_bidi_stream();
  ASSERT_GE(sid, 0);
  const auto msg = bytes("hello over quic");
  EXPECT_EQ(c.send(sid, msg, SendOptions{true, false}), SendResult::kQueued);
  ASSERT_TRUE(run_until([&] { return client_handler_.records[&c].fin; }));
  EXPECT_EQ(client_handler_.records[&c].stream_bytes, msg);
  EXPECT_GE(server_->stats().snapshot().handshakes_completed, 1u);
}

TEST_F(QuicTest, PinnedCertificateAcceptedAndWrongPinRefused) {
  start_server(server_config());
  ClientConfig good = client_config();
  good.tls.check = CertificateCheck::kPin;
  good.tls.pin_sha256 = certificate_sha256_pin(cert());
  ClientConfig bad = good;
  bad.tls.pin_sha256 = std::string(64, '0');
  client_->connect(good);
  client_->connect(bad);
  ASSERT_TRUE(run_until([&] { return client_handler_.established + client_handler_.closed == 2; }));
  EXPECT_EQ(client_handler_.established, 1);
  EXPECT_EQ(client_handler_.closed, 1);
}

TEST_F(QuicTest, ClientOfferingOtherAlpnIsRefused) {
  start_server(server_config());
  ClientConfig cfg = client_config();
  cfg.tls.alpn = "h3";
  client_->connect(cfg);
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  const auto& r = client_handler_.closed_records.at(0);
  EXPECT_FALSE(r.close.was_established);
  EXPECT_FALSE(r.close.application_error);
  EXPECT_EQ(r.close.error_code, kTransportErrorNoApplicationProtocol);
  EXPECT_EQ(client_handler_.established, 0);
}

TEST_F(QuicTest, DebianGtlsclientSpeakingH3CannotConnect) {
  if (::access("/usr/bin/gtlsclient", X_OK) != 0) GTEST_SKIP() << "gtlsclient not installed";
  start_server(server_config());
  const std::string cmd = "timeout 20 /usr/bin/gtlsclient --exit-on-all-streams-close "
                          "--timeout=5s 127.0.0.1 " + std::to_string(port_) +
                          " https://localhost/ >/dev/null 2>&1";
  std::system(cmd.c_str());  // its exit status does not say whether the handshake failed
  const auto s = server_->stats().snapshot();
  EXPECT_GE(s.connections_accepted, 1u);  // it did reach us ...
  EXPECT_EQ(s.handshakes_completed, 0u);  // ... and was refused (no_application_protocol)
  EXPECT_GE(s.handshakes_failed, 1u);
}

TEST_F(QuicTest, OneBytePerPacketArrivesIntact) {
  start_server(server_config());
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  const int64_t sid = c.open_bidi_stream();
  ASSERT_GE(sid, 0);
  // A varint length prefix and a JSON object, written one byte at a time,
  // each flushed into its own packet before the next is queued.
  const std::string frame = std::string(1, '\x11') + R"({"type":"PING"})" + "\n";
  const auto before = client_->stats().snapshot().packets_out;
  for (size_t i = 0; i < frame.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(frame[i]);
    ASSERT_EQ(c.send(sid, {&b, 1}, SendOptions{i + 1 == frame.size(), false}),
              SendResult::kQueued);
    // The next byte is queued only once the server holds this one, so each
    // byte travels in its own packet.
    ASSERT_TRUE(run_until([&] {
      return server_read<size_t>([&] {
               size_t n = 0;
               for (auto& [id, v] : server_handler_.received) n += v.size();
               return n;
             }) == i + 1;
    }));
  }
  ASSERT_TRUE(run_until([&] { return client_handler_.records[&c].fin; }));
  EXPECT_EQ(client_handler_.records[&c].stream_bytes, bytes(frame));
  EXPECT_GE(client_->stats().snapshot().packets_out - before, frame.size());
}

TEST_F(QuicTest, DatagramRoundTrip) {
  start_server(server_config());
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  ASSERT_GE(c.max_datagram_payload(), 1000u);
  const std::vector<uint8_t> payload(1000, 0x5a);
  ASSERT_TRUE(c.send_datagram(payload));
  ASSERT_TRUE(run_until([&] { return !client_handler_.records[&c].datagrams.empty(); }));
  EXPECT_EQ(client_handler_.records[&c].datagrams[0], payload);
  EXPECT_GE(server_->stats().snapshot().datagrams_in, 1u);
  EXPECT_GE(server_->stats().snapshot().datagrams_out, 1u);
}

// What a media relay reads before it sends (docs/calls.md "Media relay"):
// the datagram backlog, the congestion window left, the bandwidth estimate.
TEST_F(QuicTest, DatagramBacklogAndCongestionWindowAreVisible) {
  start_server(server_config());
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  EXPECT_EQ(c.queued_datagrams(), 0u);
  EXPECT_EQ(c.queued_datagram_bytes(), 0u);
  EXPECT_GT(c.congestion_window_left(), 1000u);
  EXPECT_GT(c.estimated_bandwidth_bps(), 0u);
  const std::vector<uint8_t> payload(500, 0x33);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.send_datagram(payload));
  EXPECT_EQ(c.queued_datagrams(), 3u) << "queued until the loop writes them";
  EXPECT_EQ(c.queued_datagram_bytes(), 1500u);
  ASSERT_TRUE(run_until([&] { return client_handler_.records[&c].datagrams.size() == 3; }));
  EXPECT_EQ(c.queued_datagrams(), 0u);
  EXPECT_EQ(c.queued_datagram_bytes(), 0u);
}

TEST_F(QuicTest, ThousandConcurrentHandshakes) {
  ServerConfig sc = server_config();
  sc.handshakes_per_second_per_address = 0;
  start_server(sc);
  constexpr int kClients = 1000;
  for (int i = 0; i < kClients; ++i) client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == kClients; },
                        std::chrono::seconds(90)))
      << "established " << client_handler_.established << " closed " << client_handler_.closed;
  EXPECT_EQ(client_handler_.closed, 0);
  EXPECT_EQ(server_->stats().snapshot().connections_open, static_cast<uint64_t>(kClients));
}

TEST_F(QuicTest, RetryForcedStillConnects) {
  ServerConfig sc = server_config();
  sc.retry = RetryPolicy::kOn;
  start_server(sc);
  Connection& c = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  EXPECT_GE(server_->stats().snapshot().retries_sent, 1u);
  const int64_t sid = c.open_bidi_stream();
  c.send(sid, bytes("after retry"), SendOptions{true, false});
  ASSERT_TRUE(run_until([&] { return client_handler_.records[&c].fin; }));
  EXPECT_EQ(client_handler_.records[&c].stream_bytes, bytes("after retry"));
}

TEST_F(QuicTest, SendQueueOverflowRefusesDroppableThenCloses) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.limits.send_queue_soft_limit = 256 * 1024;
  sc.limits.send_queue_hard_limit = 1024 * 1024;
  start_server(sc);
  ClientConfig cc = client_config();
  cc.limits.stream_window = 32 * 1024;
  cc.limits.connection_window = 64 * 1024;
  Connection& c = client_->connect(cc);
  ASSERT_TRUE(run_until([&] { return client_handler_.established == 1; }));
  c.set_flow_control_credit(false);  // a peer that does not read
  const int64_t sid = c.open_bidi_stream();
  c.send(sid, bytes("x"));  // the server learns the stream
  ASSERT_TRUE(run_until([&] {
    return server_read<bool>([&] { return !server_handler_.received.empty(); });
  }));
  const uint64_t conn_id = server_read<uint64_t>([&] { return server_handler_.last_connection_id; });

  struct Outcome {
    std::atomic<int> refused{0};
    std::atomic<bool> overflow{false};
    std::atomic<bool> done{false};
  } outcome;
  const std::vector<uint8_t> chunk(16 * 1024, 'q');
  ASSERT_TRUE(server_->post(Server::worker_of(conn_id), [&, conn_id, sid](Worker& w) {
    Connection* sc_conn = w.find(conn_id);
    if (sc_conn != nullptr) {
      for (int i = 0; i < 200 && !outcome.overflow; ++i) {
        const auto r = sc_conn->send(sid, chunk, SendOptions{false, true});
        if (r == SendResult::kRefusedDroppable) {
          ++outcome.refused;
          if (sc_conn->send(sid, chunk, SendOptions{false, false}) ==
              SendResult::kOverflowClosed) {
            outcome.overflow = true;
          }
        }
      }
    }
    outcome.done = true;
  }));
  ASSERT_TRUE(run_until([&] { return outcome.done.load(); }));
  EXPECT_GT(outcome.refused.load(), 0);
  EXPECT_TRUE(outcome.overflow.load());
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  const auto& r = client_handler_.closed_records.at(0);
  EXPECT_EQ(r.close.kind, CloseKind::kPeer);
  EXPECT_TRUE(r.close.application_error);
  EXPECT_EQ(r.close.error_code, kAppErrorSendQueueOverflow);
  EXPECT_GT(server_->stats().snapshot().droppable_refused, 0u);
}

}  // namespace
}  // namespace qsip::quic::test
