// qsipd end to end over real QUIC on loopback: the real binary, driven by
// libqsip and by raw QUIC clients.
#include <ev.h>
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "core/frame_decoder.hpp"
#include "core/varint.hpp"
#include "qsip/client.hpp"
#include "quic/client_endpoint.hpp"
#include "quic/connection.hpp"
#include "running_qsipd.hpp"
#include "server/child_process.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::RunningQsipd;

namespace {

// Waits on `client` for the next incoming message, failing the test on timeout.
Message next(Client& client, std::chrono::milliseconds timeout = 5s) {
  auto m = client.receive(timeout);
  if (!m) throw std::runtime_error("no message within the timeout");
  return *m;
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

class QsipdQuic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static RunningQsipd* server_;
};
RunningQsipd* QsipdQuic::server_ = nullptr;

}  // namespace

TEST_F(QsipdQuic, RegistersWithATokenAndAnswersEveryRequest) {
  auto client = server_->connect();
  auto before = client->request(envelope("PRESENCE", "u-alice", "d-1", R"({"status":"available"})", "p-0")).get();
  EXPECT_EQ(before.error_code(), 4015);
  EXPECT_EQ(before.payload_string("target_message_id"), "p-0");

  std::string token = server_->token("u-alice", "d-1");
  auto reg = client->request(envelope("REGISTER", "u-alice", "d-1",
                                      R"({"auth_token":")" + token + R"(","device_info":{"os":"Linux"}})", "r-1"))
                 .get();
  ASSERT_EQ(reg.type(), "RECEIPT") << reg.json();
  EXPECT_EQ(reg.payload_string("status"), "registered");
  EXPECT_EQ(reg.payload_string("server_id"), "qsip-server");

  auto spoofed = client->request(envelope("PRESENCE", "u-mallory", "d-1", R"({"status":"away"})")).get();
  EXPECT_EQ(spoofed.error_code(), 4014);
  auto unhandled = client->request(envelope("POLL", "u-alice", "d-1", R"({"action":"get_results","poll_id":"p"})")).get();
  EXPECT_EQ(unhandled.error_code(), 4052);
}

TEST_F(QsipdQuic, BadTokensAreRefused) {
  auto client = server_->connect();
  auto wrong_user = client->request(envelope("REGISTER", "u-bob", "d-1",
                                             R"({"auth_token":")" + server_->token("u-alice") + R"(","device_info":{}})"))
                        .get();
  EXPECT_EQ(wrong_user.error_code(), 4011);
  auto garbage = client->request(envelope("REGISTER", "u-bob", "d-1", R"({"auth_token":"x.y.z","device_info":{}})")).get();
  EXPECT_EQ(garbage.error_code(), 4013);

  // A real token whose signature was altered.
  std::string forged = server_->token("u-bob");
  char& last = forged[forged.size() - 5];
  last = last == 'A' ? 'B' : 'A';
  auto forged_answer =
      client->request(envelope("REGISTER", "u-bob", "d-1", R"({"auth_token":")" + forged + R"(","device_info":{}})")).get();
  EXPECT_EQ(forged_answer.error_code(), 4013);

  // alg "none": {"alg":"none"} . {"sub":"u-bob","exp":4102444800} . (no signature)
  std::string none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LWJvYiIsImV4cCI6NDEwMjQ0NDgwMH0.";
  auto none_answer =
      client->request(envelope("REGISTER", "u-bob", "d-1", R"({"auth_token":")" + none + R"(","device_info":{}})")).get();
  EXPECT_EQ(none_answer.error_code(), 4013);
}

TEST_F(QsipdQuic, BadInputGetsErrorsAndTheConnectionLivesOn) {
  auto client = server_->connect();
  client->send_stream_bytes(core::encode_frame("{not json"));
  EXPECT_EQ(next(*client).error_code(), 4001);
  client->send_stream_bytes(core::encode_frame("[1,2]"));
  EXPECT_EQ(next(*client).error_code(), 4001);
  client->send_stream_bytes(std::string(1, '\0'));  // L = 0
  EXPECT_EQ(next(*client).error_code(), 4001);
  client->send(envelope("FOO", "u", "d", "{}"));
  EXPECT_EQ(next(*client).error_code(), 4002);
  client->send(R"({"qsip_version":"2.0","message_id":"v2"})");
  EXPECT_EQ(next(*client).error_code(), 4003);
  // L = 70000, sent in full: refused at once, skipped, and the stream goes on.
  std::string oversize = "\x80\x01\x11\x70" + std::string(70000, ' ');
  client->send_stream_bytes(oversize);
  auto too_large = next(*client);
  EXPECT_EQ(too_large.error_code(), 4004);
  auto still = client->request(envelope("PRESENCE", "u", "d", R"({"status":"away"})")).get();
  EXPECT_EQ(still.error_code(), 4015);
  EXPECT_TRUE(client->info().connected);
}

TEST_F(QsipdQuic, AFrameSentOneBytePerPacketIsAnswered) {
  auto client = server_->connect();
  std::string frame = core::encode_frame(envelope("PRESENCE", "u", "d", R"({"status":"away"})", "slow-1"));
  for (char c : frame) {
    client->send_stream_bytes(std::string(1, c));
    std::this_thread::sleep_for(1ms);  // each byte leaves in its own packet
  }
  auto answer = next(*client);
  EXPECT_EQ(answer.error_code(), 4015);
  EXPECT_EQ(answer.payload_string("target_message_id"), "slow-1");
}

TEST_F(QsipdQuic, DatagramsOnTheEchoFlowComeBack) {
  auto client = server_->connect();
  std::atomic<int> got{0};
  std::vector<std::uint8_t> echoed;
  std::mutex m;
  client->on_datagram([&](std::span<const std::uint8_t> d) {
    std::lock_guard lock(m);
    echoed.assign(d.begin(), d.end());
    ++got;
  });
  std::vector<std::uint8_t> datagram(8, 0);
  core::varint_encode(core::kMaxVarint, datagram.data());
  for (char c : std::string("rtp-bytes")) datagram.push_back(static_cast<std::uint8_t>(c));
  ASSERT_TRUE(eventually([&] {
    client->send_datagram(datagram);
    return eventually([&] { return got.load() > 0; }, 300ms);
  }));
  std::lock_guard lock(m);
  EXPECT_EQ(echoed, datagram);
}

TEST_F(QsipdQuic, ResumesWithZeroRtt) {
  auto options = server_->client_options();
  Client client(options);
  client.connect();
  EXPECT_FALSE(client.info().resumed);
  // The ticket arrives after the handshake; give it a moment.
  std::this_thread::sleep_for(300ms);
  client.close();
  client.connect();
  auto info = client.info();
  EXPECT_TRUE(info.resumed);
  EXPECT_TRUE(info.early_data_accepted);
  auto answer = client.request(envelope("PRESENCE", "u", "d", R"({"status":"away"})")).get();
  EXPECT_EQ(answer.error_code(), 4015);
}

TEST_F(QsipdQuic, AThousandConcurrentConnections) {
  struct Handler : quic::ConnectionHandler {
    int established = 0, answered = 0, closed = 0;
    std::map<quic::Connection*, core::FrameDecoder> decoders;
    void on_established(quic::Connection& conn, const quic::HandshakeInfo&) override {
      ++established;
      int64_t stream = conn.open_bidi_stream();
      std::string frame = core::encode_frame(envelope("PRESENCE", "u", "d", R"({"status":"away"})"));
      conn.send(stream, std::span(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()));
    }
    void on_stream_data(quic::Connection& conn, int64_t, std::span<const uint8_t> data, bool, bool) override {
      struct Sink : core::FrameDecoder::Sink {
        int* answered;
        void on_frame(core::FrameDecoder::Event e, std::string_view, std::string_view, std::uint64_t) override {
          if (e == core::FrameDecoder::Event::kFrame) ++*answered;
        }
      } sink;
      sink.answered = &answered;
      decoders[&conn].feed(data, sink);
    }
    void on_closed(quic::Connection&, const quic::CloseInfo&) override { ++closed; }
  } handler;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  {
    quic::ClientEndpoint endpoint(loop, handler);
    quic::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = server_->port();
    config.tls.check = quic::CertificateCheck::kInsecure;
    constexpr int kConnections = 1000;
    int started = 0;
    auto until = std::chrono::steady_clock::now() + 60s;
    while (handler.answered < kConnections && std::chrono::steady_clock::now() < until) {
      // Keep a few hundred handshakes in flight at once.
      while (started < kConnections && started - handler.established < 200) {
        endpoint.connect(config);
        ++started;
      }
      ev_run(loop, EVRUN_ONCE);
    }
    EXPECT_EQ(handler.established, kConnections);
    EXPECT_EQ(handler.answered, kConnections);
    EXPECT_EQ(handler.closed, 0);
  }
  ev_loop_destroy(loop);
}

TEST_F(QsipdQuic, AClientOfferingAnotherAlpnIsRefused) {
  struct Handler : quic::ConnectionHandler {
    bool established = false, closed = false;
    quic::CloseInfo close;
    void on_established(quic::Connection&, const quic::HandshakeInfo&) override { established = true; }
    void on_stream_data(quic::Connection&, int64_t, std::span<const uint8_t>, bool, bool) override {}
    void on_closed(quic::Connection&, const quic::CloseInfo& info) override {
      closed = true;
      close = info;
    }
  } handler;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  {
    quic::ClientEndpoint endpoint(loop, handler);
    quic::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = server_->port();
    config.tls.check = quic::CertificateCheck::kInsecure;
    config.tls.alpn = "h3";
    endpoint.connect(config);
    auto until = std::chrono::steady_clock::now() + 15s;
    while (!handler.closed && std::chrono::steady_clock::now() < until) ev_run(loop, EVRUN_ONCE);
  }
  ev_loop_destroy(loop);
  EXPECT_FALSE(handler.established);
  ASSERT_TRUE(handler.closed);
  EXPECT_EQ(handler.close.error_code, 0x178u);  // CRYPTO_ERROR + TLS alert no_application_protocol (120)
}

TEST_F(QsipdQuic, DebiansH3ClientCannotConnect) {
  // gtlsclient (Debian's ngtcp2-client) speaks h3: qsipd must refuse it.
  qsip::test::ChildProcess gtls({"/usr/bin/timeout", "20", "/usr/bin/gtlsclient", "--exit-on-first-stream-close",
                                 "127.0.0.1", std::to_string(server_->port()), "https://127.0.0.1/"});
  auto status = gtls.wait_exit(30s);
  ASSERT_TRUE(status);
  // It reports the refusal (CONNECTION_CLOSE with CRYPTO_ERROR 0x178,
  // no_application_protocol) and never completes a handshake.
  std::string output = gtls.stdout_text() + gtls.stderr_text();
  EXPECT_NE(output.find("CRYPTO_ERROR(0x178)"), std::string::npos) << output;
  EXPECT_EQ(output.find("Negotiated ALPN"), std::string::npos) << output;
}

// Separate servers: these change or stop them.
TEST(QsipdLifecycle, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  RunningQsipd server({}, "[quic]\nidle_timeout_seconds = 1\n");
  auto options = server.client_options();
  options.keepalive = 0ms;
  options.reconnect = false;
  Client client(options);
  client.connect();
  EXPECT_TRUE(eventually([&] { return !client.info().connected; }, 10s));
}

TEST(QsipdLifecycle, KeepaliveHoldsAnIdleClient) {
  RunningQsipd server({}, "[quic]\nidle_timeout_seconds = 2\n");
  auto options = server.client_options();
  options.keepalive = 500ms;
  options.reconnect = false;
  Client client(options);
  client.connect();
  std::this_thread::sleep_for(4s);
  EXPECT_TRUE(client.info().connected);
}

TEST(QsipdLifecycle, SigtermClosesClientsWithGoingAwayAndExitsWithinFiveSeconds) {
  RunningQsipd server;
  auto options = server.client_options();
  options.reconnect = false;
  Client client(options);
  client.connect();
  // A registered, settled connection (handshake confirmed, ticket received).
  auto answer = client.request(envelope("PRESENCE", "u", "d", R"({"status":"away"})")).get();
  EXPECT_EQ(answer.error_code(), 4015);
  auto started = std::chrono::steady_clock::now();
  server.process().send_signal(SIGTERM);
  auto status = server.process().wait_exit(5s);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  ASSERT_TRUE(eventually([&] { return !client.info().connected; }, 5s));
  auto info = client.info();
  EXPECT_TRUE(info.last_close_by_peer);
  EXPECT_TRUE(info.last_close_was_application);
  EXPECT_EQ(info.last_close_code, 0x1u);  // GoingAway
}

TEST(QsipdLifecycle, ClientReconnectsAndRegistersAgainAfterARestart) {
  auto server = std::make_unique<RunningQsipd>();
  std::string data_dir = server->data_dir();
  auto client = server->connect_registered("u-carol", "d-1");
  // Same data dir (same certificate and key), same port.
  std::uint16_t port = server->port();
  server->process().send_signal(SIGKILL);
  server->process().wait_exit(5s);
  qsip::test::ChildProcess again({qsip::test::qsipd_path(), "--data-dir", data_dir, "--listen",
                                  "127.0.0.1:" + std::to_string(port), "--admin-listen", "127.0.0.1:0", "--log-format",
                                  "json"});
  ASSERT_TRUE(again.wait_for_stderr_line([](std::string_view l) { return l.find("\"ready\"") != std::string_view::npos; },
                                         20s));
  ASSERT_TRUE(eventually([&] { return client->info().connects >= 2; }, 40s));
  // The replayed REGISTER makes the connection usable at once.
  ASSERT_TRUE(eventually([&] {
    auto answer = client->request(envelope("POLL", "u-carol", "d-1", R"({"action":"get_results","poll_id":"p"})")).get();
    return answer.error_code() == 4052;
  }));
  again.send_signal(SIGTERM);
  again.wait_exit(10s);
}

TEST_F(QsipdQuic, OtherDevicesAreToldWhenADeviceRegisters) {
  auto laptop = server_->connect_registered("u-dave", "d-laptop");
  auto phone = server_->connect_registered("u-dave", "d-phone");
  auto notice = next(*laptop);
  EXPECT_EQ(notice.type(), "SYNC");
  EXPECT_EQ(notice.payload_string("action"), "notify");
  EXPECT_EQ(notice.payload_string("device_id"), "d-phone");
  EXPECT_EQ(notice.from_user_id(), "qsip-server");
  EXPECT_FALSE(phone->receive(300ms));  // the new device is not told about itself
}

TEST_F(QsipdQuic, TheSameDeviceReconnectingReplacesItsOldConnection) {
  auto options = server_->client_options();
  options.reconnect = false;
  Client old_connection(options);
  old_connection.connect();
  std::string token = server_->token("u-erin", "d-1");
  std::string reg = R"({"auth_token":")" + token + R"(","device_info":{}})";
  ASSERT_EQ(old_connection.request(envelope("REGISTER", "u-erin", "d-1", reg)).get().type(), "RECEIPT");
  auto fresh = server_->connect_registered("u-erin", "d-1");
  ASSERT_TRUE(eventually([&] { return !old_connection.info().connected; }, 5s));
  EXPECT_EQ(old_connection.info().last_close_code, 0x12u);  // Replaced
  EXPECT_TRUE(fresh->info().connected);
}

namespace {
int run_qsipd_command(std::vector<std::string> args) {
  args.insert(args.begin(), qsip::test::qsipd_path());
  qsip::test::ChildProcess p(args);
  return p.wait_exit(20s).value_or(-1);
}
}  // namespace

TEST_F(QsipdQuic, RevokingATokenClosesItsConnectionAtOnceAndRefusesItAfterwards) {
  auto options = server_->client_options();
  options.reconnect = false;
  Client client(options);
  client.connect();
  std::string token = server_->token("u-frank", "d-1");
  std::string reg = R"({"auth_token":")" + token + R"(","device_info":{}})";
  ASSERT_EQ(client.request(envelope("REGISTER", "u-frank", "d-1", reg)).get().type(), "RECEIPT");
  ASSERT_EQ(run_qsipd_command({"token", "revoke", "--data-dir", server_->data_dir(), "--user", "u-frank", "--device", "d-1"}), 0);
  ASSERT_TRUE(eventually([&] { return !client.info().connected; }, 5s));
  EXPECT_EQ(client.info().last_close_code, 0x13u);  // Revoked
  auto again = server_->connect();
  auto answer = again->request(envelope("REGISTER", "u-frank", "d-1", reg)).get();
  EXPECT_EQ(answer.error_code(), 4011);
  EXPECT_NE(answer.payload_string("detail").value_or("").find("revoked"), std::string_view::npos);
}

TEST_F(QsipdQuic, ASuspendedAccountIsRefused) {
  ASSERT_EQ(run_qsipd_command({"user", "add", "u-grace", "--data-dir", server_->data_dir()}), 0);
  ASSERT_EQ(run_qsipd_command({"user", "suspend", "u-grace", "--data-dir", server_->data_dir()}), 0);
  auto client = server_->connect();
  std::string reg = R"({"auth_token":")" + server_->token("u-grace") + R"(","device_info":{}})";
  auto answer = client->request(envelope("REGISTER", "u-grace", "d-1", reg)).get();
  EXPECT_EQ(answer.error_code(), 4011);
  EXPECT_NE(answer.payload_string("detail").value_or("").find("suspended"), std::string_view::npos);
}

TEST(QsipdRegistration, ClosedRegistrationNeedsAnExistingAccount) {
  RunningQsipd server({}, "[auth]\nregistration = \"closed\"\n");
  auto client = server.connect();
  std::string reg = R"({"auth_token":")" + server.token("u-henry") + R"(","device_info":{}})";
  EXPECT_EQ(client->request(envelope("REGISTER", "u-henry", "d-1", reg)).get().error_code(), 4011);
  ASSERT_EQ(run_qsipd_command({"user", "add", "u-henry", "--data-dir", server.data_dir()}), 0);
  EXPECT_EQ(client->request(envelope("REGISTER", "u-henry", "d-1", reg)).get().type(), "RECEIPT");
}

TEST_F(QsipdQuic, AClientThatChangesItsPortKeepsItsConnectionAndRegistration) {
  auto client = server_->connect_registered("u-ivan", "d-1");
  ASSERT_TRUE(eventually([&] { return client->rebind(); }, 5s));  // needs a spare connection ID from the server
  auto answer = client->request(envelope("POLL", "u-ivan", "d-1", R"({"action":"get_results","poll_id":"p"})")).get();
  EXPECT_EQ(answer.error_code(), 4052);  // still registered: the same QSIP session on the same connection
  EXPECT_EQ(client->info().connects, 1u);
  ASSERT_TRUE(client->rebind());
  EXPECT_EQ(client->request(envelope("PRESENCE", "u-mallory", "d-1", R"({"status":"away"})")).get().error_code(), 4014);
  EXPECT_EQ(client->info().connects, 1u);
}
