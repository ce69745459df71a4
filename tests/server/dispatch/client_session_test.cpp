#include "server/dispatch/client_session.hpp"

#include <gtest/gtest.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/payload_builders.hpp"
#include "server/auth/register_handler.hpp"
#include "../recording_outbound.hpp"

using namespace qsip;
using namespace qsip::server;
using qsip::server::testing::RecordingOutbound;

namespace {

std::string temp_signing_key() {
  gnutls_x509_privkey_t key;
  gnutls_x509_privkey_init(&key);
  gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
  gnutls_datum_t pem{};
  gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &pem);
  auto path = std::filesystem::temp_directory_path() / ("qsip-dispatch-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<char*>(pem.data), pem.size);
  gnutls_free(pem.data);
  gnutls_x509_privkey_deinit(key);
  return path.string();
}

std::string message(std::string_view type, std::string_view payload, std::string_view user = "u-alice",
                     std::string_view device = "d-1", std::string_view id = "m-1") {
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = "2025-06-01T00:43:25Z";
  f.type = type;
  f.from_user_id = user;
  f.from_device_id = device;
  f.to_user_id = "u-bob";
  return core::encode_frame(core::build_envelope(f, payload));
}

class ClientSessionTest : public ::testing::Test {
 protected:
  ClientSessionTest() : context("qsip-server", "node-1"), session(context, out) {
    key_path = temp_signing_key();
    keys.load_es256_private_key(key_path);
    register_handler = std::make_unique<RegisterHandler>(keys, AuthSettings{});
    context.handlers.set(core::MessageType::kRegister, register_handler.get());
  }
  ~ClientSessionTest() override { std::filesystem::remove(key_path); }

  std::string token(std::string_view user, std::int64_t ttl = 3600) {
    JwtClaims c;
    c.sub = user;
    c.exp = std::time(nullptr) + ttl;
    return keys.sign(c);
  }
  void feed(const std::string& bytes, std::int64_t stream = 0) { session.on_stream_data(stream, bytes, false, false); }
  void do_register(std::string_view user = "u-alice") {
    auto p = core::builders::RegisterPayload().auth_token(token(user)).device_info(core::RawJson{"{}"});
    feed(message("REGISTER", p.json(), user, "d-1", "reg-1"));
  }

  std::string key_path;
  JwtKeys keys;
  std::unique_ptr<RegisterHandler> register_handler;
  WorkerContext context;
  RecordingOutbound out;
  ClientSession session;
};

}  // namespace

TEST_F(ClientSessionTest, EverythingButRegisterNeedsRegistrationFirst) {
  feed(message("PRESENCE", R"({"status":"away"})"));
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.field(0, "type"), "ERROR");
  EXPECT_EQ(out.payload_field(0, "code"), "4015");
  EXPECT_EQ(out.payload_field(0, "reason"), "RegistrationRequired");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-1");
}

TEST_F(ClientSessionTest, RegisterAnswersRegisteredThenUnhandledTypesGet4052) {
  do_register();
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.field(0, "type"), "RECEIPT");
  EXPECT_EQ(out.payload_field(0, "status"), "registered");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "reg-1");
  EXPECT_EQ(out.payload_field(0, "server_id"), "qsip-server");
  EXPECT_TRUE(session.registered());
  feed(message("POLL", R"({"action":"get_results","poll_id":"p"})"));
  ASSERT_EQ(out.sent.size(), 2u);
  EXPECT_EQ(out.payload_field(1, "code"), "4052");
}

TEST_F(ClientSessionTest, FromMustBeTheRegisteredUserAndDevice) {
  do_register();
  feed(message("PRESENCE", R"({"status":"away"})", "u-mallory"));
  EXPECT_EQ(out.payload_field(1, "code"), "4014");
  feed(message("PRESENCE", R"({"status":"away"})", "u-alice", "d-other"));
  EXPECT_EQ(out.payload_field(2, "code"), "4014");
}

TEST_F(ClientSessionTest, TokenForAnotherUserIsRefused) {
  auto p = core::builders::RegisterPayload().auth_token(token("u-bob")).device_info(core::RawJson{"{}"});
  feed(message("REGISTER", p.json()));
  EXPECT_EQ(out.payload_field(0, "code"), "4011");
  EXPECT_FALSE(session.registered());
  auto bad = core::builders::RegisterPayload().auth_token("garbage").device_info(core::RawJson{"{}"});
  feed(message("REGISTER", bad.json()));
  EXPECT_EQ(out.payload_field(1, "code"), "4013");
  auto expired = core::builders::RegisterPayload().auth_token(token("u-alice", -3600)).device_info(core::RawJson{"{}"});
  feed(message("REGISTER", expired.json()));
  EXPECT_EQ(out.payload_field(2, "code"), "4012");
}

TEST_F(ClientSessionTest, NearExpiryTokenIsRefreshedInTheReceipt) {
  auto p = core::builders::RegisterPayload().auth_token(token("u-alice", 60)).device_info(core::RawJson{"{}"});
  feed(message("REGISTER", p.json()));
  std::string fresh = out.payload_field(0, "token");
  ASSERT_FALSE(fresh.empty());
  JwtVerdict v = keys.verify(fresh, std::time(nullptr));
  ASSERT_TRUE(v.ok()) << v.detail;
  EXPECT_EQ(v.claims.sub, "u-alice");
  EXPECT_GT(v.claims.exp, std::time(nullptr) + 3000);
}

TEST_F(ClientSessionTest, BadFramesGetErrorsAndTheConnectionLivesOn) {
  feed(std::string("\x00", 1));                        // L = 0
  feed(message("NOPE", "{}"));                         // unknown type
  feed(core::encode_frame("{not json"));               // invalid JSON
  feed(std::string("\x80\x01\x11\x70", 4));          // 4-byte varint prefix: L = 70000
  feed(std::string(70000, ' '));
  feed(message("PRESENCE", R"({"status":"away"})"));  // still answered
  ASSERT_EQ(out.sent.size(), 5u);
  EXPECT_EQ(out.payload_field(0, "code"), "4001");
  EXPECT_EQ(out.payload_field(1, "code"), "4002");
  EXPECT_EQ(out.payload_field(2, "code"), "4001");
  EXPECT_EQ(out.payload_field(3, "code"), "4004");
  EXPECT_EQ(out.payload_field(4, "code"), "4015");
  EXPECT_EQ(out.closed_with, 0u);
}

TEST_F(ClientSessionTest, AFrameFedOneByteAtATimeIsAnswered) {
  std::string frame = message("PRESENCE", R"({"status":"away"})");
  for (char c : frame) feed(std::string(1, c));
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4015");
}

TEST_F(ClientSessionTest, AnswersGoOnTheRequestStream) {
  feed(message("PRESENCE", R"({"status":"away"})"), 0);
  feed(message("PRESENCE", R"({"status":"away"})"), 4);
  ASSERT_EQ(out.sent.size(), 2u);
  EXPECT_EQ(out.sent[0].stream_id, 0);
  EXPECT_EQ(out.sent[1].stream_id, 4);
  EXPECT_EQ(session.primary_stream(), 0);
}

TEST_F(ClientSessionTest, AFloodOfGarbageClosesTheConnection) {
  for (int i = 0; i < 200 && out.closed_with == 0; ++i) feed(core::encode_frame("[]"));
  EXPECT_EQ(out.closed_with, kAppErrorAbusivePeer);
}

TEST_F(ClientSessionTest, ClosingThePrimaryStreamEndsTheSession) {
  feed(message("PRESENCE", R"({"status":"away"})"), 0);
  session.on_stream_closed(0);
  EXPECT_EQ(out.closed_with, kAppErrorPrimaryStreamClosed);
}

TEST_F(ClientSessionTest, EarlyDataActsOnlyOnHarmlessTypesUntilTheHandshakeIsConfirmed) {
  auto p = core::builders::RegisterPayload().auth_token(token("u-alice")).device_info(core::RawJson{"{}"});
  session.on_stream_data(0, message("REGISTER", p.json(), "u-alice", "d-1", "reg-1"), false, true);
  ASSERT_EQ(out.sent.size(), 1u);  // REGISTER is harmless to replay: answered at once
  EXPECT_EQ(out.payload_field(0, "status"), "registered");
  session.on_stream_data(0, message("POLL", R"({"action":"get_results","poll_id":"p"})", "u-alice", "d-1", "poll-1"),
                         false, true);
  EXPECT_EQ(out.sent.size(), 1u);  // held back
  session.on_handshake_confirmed();
  ASSERT_EQ(out.sent.size(), 2u);
  EXPECT_EQ(out.payload_field(1, "target_message_id"), "poll-1");
  EXPECT_EQ(out.payload_field(1, "code"), "4052");
}
