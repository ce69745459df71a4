// How connections end at the edges of the handshake: the server reports
// on_closed for a 0-RTT connection the application saw even though its
// handshake never completes, and a stop during the handshake still tells
// the client "going away".
#include <condition_variable>
#include <memory>
#include <mutex>

#include "quic/coalesced_packets.hpp"
#include "quic_test_support.hpp"

namespace qsip::quic::test {
namespace {

// Holds a worker thread inside a handler call until the test releases it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool arrived = false;
  bool released = false;

  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mutex);
    arrived = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [this] { return released; });
  }
  bool has_arrived() {
    std::lock_guard<std::mutex> lock(mutex);
    return arrived;
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      released = true;
    }
    cv.notify_all();
  }
};

TEST_F(QuicTest, ServerReportsClosedForZeroRttConnectionWhoseHandshakeFails) {
  ServerConfig sc = server_config();
  sc.workers = 1;
  sc.limits.handshake_timeout = std::chrono::milliseconds(1000);
  auto gate = std::make_shared<Gate>();
  // The server reads the 0-RTT data before it writes its own handshake
  // flight, so holding it here guarantees the client never completes.
  server_handler_.early_data_hook = [gate](Connection&) { gate->arrive_and_wait(); };
  start_server(sc);

  Connection& first = client_->connect(client_config());
  ASSERT_TRUE(run_until([&] {
    return client_handler_.established == 1 && !client_handler_.last_ticket.empty();
  }));
  first.close(kAppErrorNoError);
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  ASSERT_TRUE(wait_server([&] { return server_handler_.closed == 1; }));

  ClientConfig cc = client_config();
  cc.session_ticket = client_handler_.last_ticket;
  Connection& second = client_->connect(cc);
  const int64_t sid = second.open_bidi_stream();
  ASSERT_GE(sid, 0);
  ASSERT_EQ(second.send(sid, bytes("early and doomed"), SendOptions{true, false}),
            SendResult::kQueued);
  ASSERT_TRUE(run_until([&] { return gate->has_arrived(); }));
  // The client vanishes without a word; the server's handshake times out.
  client_.reset();
  gate->release();

  ASSERT_TRUE(wait_server([&] { return server_handler_.closed == 2; }));
  const CloseInfo last = server_read<CloseInfo>([&] { return server_handler_.closes.back(); });
  EXPECT_FALSE(last.was_established);
  EXPECT_EQ(last.kind, CloseKind::kHandshakeTimeout);
  EXPECT_EQ(server_read<int>([&] { return server_handler_.established; }), 1);
  EXPECT_GT(server_read<size_t>([&] { return server_handler_.early_bytes; }), 0u);
}

TEST_F(QuicTest, StopDuringServerHandshakeStillSendsGoingAway) {
  start_server(server_config());
  // The client completes its handshake inside this call, before it has
  // even sent its Finished: the server's handshake is not complete yet.
  client_handler_.on_established_hook = [this](Connection&) {
    server_->stop(std::chrono::seconds(5));
  };
  client_->connect(client_config());
  ASSERT_TRUE(run_until([&] { return client_handler_.closed == 1; }));
  const auto& r = client_handler_.closed_records.at(0);
  EXPECT_TRUE(r.established);
  EXPECT_EQ(r.close.kind, CloseKind::kPeer);
  EXPECT_TRUE(r.close.application_error);
  EXPECT_EQ(r.close.error_code, kAppErrorGoingAway);
}

TEST(CoalescedPackets, SplitsLongHeaderPacketsFromTheOneRttPacket) {
  // Handshake packet: flags, version 1, DCID (2 bytes), SCID (1 byte),
  // length 3, then 3 payload bytes; then a short-header packet.
  const std::vector<uint8_t> handshake = {0xe0, 0, 0, 0, 1, 2, 0xaa, 0xbb, 1, 0xcc, 3, 1, 2, 3};
  // Initial packet with a 2-byte token and a 2-byte length (0x4002 = 2).
  const std::vector<uint8_t> initial = {0xc0, 0, 0, 0, 1, 0, 0, 2, 9, 9, 0x40, 2, 7, 7};
  const std::vector<uint8_t> short_packet = {0x40, 1, 2, 3, 4};

  std::vector<uint8_t> d = initial;
  d.insert(d.end(), handshake.begin(), handshake.end());
  d.insert(d.end(), short_packet.begin(), short_packet.end());
  EXPECT_EQ(long_header_packets_size(d), initial.size() + handshake.size());
  EXPECT_EQ(long_header_packets_size(handshake), handshake.size());
  EXPECT_EQ(long_header_packets_size(short_packet), 0u);
  // A length running past the end: the datagram stays whole.
  std::vector<uint8_t> truncated(handshake.begin(), handshake.end() - 1);
  EXPECT_EQ(long_header_packets_size(truncated), truncated.size());
}

}  // namespace
}  // namespace qsip::quic::test
