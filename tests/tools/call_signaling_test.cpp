// What `qsip call` and `qsip answer` send and how they read what peers
// send (tools/qsip/call_signaling.hpp): payloads the protocol core accepts,
// tracks and offers read, and KEY_EXCHANGE parsed strictly, whatever a peer
// puts in it.
#include <gtest/gtest.h>

#include <string>

#include "call_signaling.hpp"
#include "core/message_validator.hpp"

namespace qsip::cli {
namespace {

Message message(std::string_view type, const std::string& payload) {
  auto m = Message::parse(std::string("{\"qsip_version\":\"1.0\",\"message_id\":\"6f2d1c1e-8f0a-4c3b-9a51-1d2e3f405162\","
                                      "\"timestamp\":\"2026-01-01T00:00:00Z\",\"from\":{\"user_id\":\"u-a\",\"device_id\":\"d\"},"
                                      "\"to\":{\"user_id\":\"u-b\"},\"type\":\"") +
                          std::string(type) + "\",\"session_id\":\"s-1\",\"payload\":" + payload + "}");
  EXPECT_TRUE(m) << payload;
  return *m;
}

bool valid(const Message& m) {
  core::MessageValidator validator;
  return validator.validate(m.json()).ok();
}

TEST(CallSignaling, PayloadsAreValidMessagesOfTheirType) {
  const SframeKey key = new_sending_key();
  for (const auto& [type, payload] :
       {std::pair<std::string_view, std::string>{"INVITE", invite_payload(caller_audio_flow)},
        {"ACCEPT", accept_payload(answerer_audio_flow)},
        {"KEY_EXCHANGE", key_exchange_payload(key)},
        {"END", reason_payload("hangup", "done")},
        {"REJECT", reason_payload("unsupported", "no audio")}}) {
    EXPECT_TRUE(valid(message(type, payload))) << type << " " << payload;
  }
  EXPECT_EQ(audio_flow_of(message("INVITE", invite_payload(caller_audio_flow))), caller_audio_flow);
  EXPECT_EQ(audio_flow_of(message("ACCEPT", accept_payload(answerer_audio_flow))), answerer_audio_flow);
  EXPECT_TRUE(offers_opus_audio(message("INVITE", invite_payload(1))));
}

TEST(CallSignaling, SendingKeysAreFreshAndRoundTrip) {
  const SframeKey a = new_sending_key(), b = new_sending_key();
  EXPECT_EQ(a.base_key.size(), 32u);
  EXPECT_NE(a.base_key, b.base_key);
  EXPECT_LE(a.kid, 0xffffu);
  const PeerKeyResult read = peer_key_of(message("KEY_EXCHANGE", key_exchange_payload(a)));
  ASSERT_TRUE(read.key) << read.error;
  EXPECT_EQ(read.key->base_key, a.base_key);
  EXPECT_EQ(read.key->kid, a.kid);
  EXPECT_EQ(read.key->suite, media::CipherSuite::aes_128_gcm_sha256_128);
}

TEST(CallSignaling, PeerKeysInEveryAcceptedShape) {
  // 16 bytes of 0x01, base64.
  const std::string material = "\"AQEBAQEBAQEBAQEBAQEBAQ==\"";
  const PeerKeyResult top = peer_key_of(message(
      "KEY_EXCHANGE", "{\"mechanism\":\"SFrame\",\"key_material\":" + material + ",\"key_id\":\"42\",\"cipher_suite\":\"aes_256_gcm_sha512_128\"}"));
  ASSERT_TRUE(top.key) << top.error;
  EXPECT_EQ(top.key->kid, 42u);
  EXPECT_EQ(top.key->suite, media::CipherSuite::aes_256_gcm_sha512_128);
  EXPECT_EQ(top.key->base_key, media::Bytes(16, 0x01));
  const PeerKeyResult numbered = peer_key_of(message(
      "KEY_EXCHANGE", "{\"mechanism\":\"sframe\",\"sframe_params\":{\"key_material\":" + material +
                          ",\"key_id\":7,\"cipher_suite\":\"1\"}}"));
  ASSERT_TRUE(numbered.key) << numbered.error;
  EXPECT_EQ(numbered.key->suite, media::CipherSuite::aes_128_ctr_hmac_sha256_80);
}

TEST(CallSignaling, BadPeerKeysAreRefusedNamingTheField) {
  const std::string material = "\"AQEBAQEBAQEBAQEBAQEBAQ==\"";
  const std::pair<std::string, std::string> cases[] = {
      {"{\"mechanism\":\"dtls\",\"key_material\":" + material + ",\"key_id\":1}", "payload.mechanism"},
      {"{\"mechanism\":\"sframe\",\"key_id\":1}", "payload.key_material: required"},
      {"{\"mechanism\":\"sframe\",\"key_material\":" + material + "}", "payload.key_id: required"},
      {"{\"mechanism\":\"sframe\",\"key_material\":" + material + ",\"key_id\":\"x1\"}", "payload.key_id: not a number"},
      {"{\"mechanism\":\"sframe\",\"key_material\":" + material + ",\"key_id\":-1}", "payload.key_id"},
      {"{\"mechanism\":\"sframe\",\"key_material\":\"AQID\",\"key_id\":1}", "payload.key_material"},  // 3 bytes
      {"{\"mechanism\":\"sframe\",\"key_material\":\"not base64!\",\"key_id\":1}", "payload.key_material"},
      {"{\"mechanism\":\"sframe\",\"key_material\":\"" + std::string(200, 'A') + "\",\"key_id\":1}",
       "payload.key_material"},
      {"{\"mechanism\":\"sframe\",\"key_material\":" + material + ",\"key_id\":1,\"cipher_suite\":\"ROT13\"}",
       "payload.cipher_suite"},
      {"{\"mechanism\":\"sframe\",\"sframe_params\":{\"key_material\":7,\"key_id\":1}}",
       "payload.sframe_params.key_material"},
  };
  for (const auto& [payload, field] : cases) {
    const PeerKeyResult read = peer_key_of(message("KEY_EXCHANGE", payload));
    EXPECT_FALSE(read.key) << payload;
    EXPECT_NE(read.error.find(field), std::string::npos) << payload << " -> " << read.error;
  }
}

TEST(CallSignaling, OffersAndTracksOfOtherShapes) {
  EXPECT_FALSE(offers_opus_audio(message("INVITE", "{\"media_types\":[\"video\"]}")));
  EXPECT_FALSE(offers_opus_audio(message("INVITE", "{\"media_types\":\"audio\"}")));
  EXPECT_FALSE(offers_opus_audio(message("INVITE", "{\"media_types\":[\"audio\"],\"codecs\":{\"audio\":[\"pcmu/8000\"]}}")));
  EXPECT_TRUE(offers_opus_audio(message("INVITE", "{\"media_types\":[\"Audio\"]}")));
  EXPECT_TRUE(offers_opus_audio(message("INVITE", "{\"media_types\":[\"audio\"],\"codecs\":{\"video\":[\"av1/90000\"]}}")));
  EXPECT_TRUE(offers_opus_audio(message("INVITE", "{\"media_types\":[\"audio\"],\"codecs\":{\"audio\":[\"OPUS/48000/2\"]}}")));

  EXPECT_FALSE(audio_flow_of(message("INVITE", "{\"media_types\":[\"audio\"]}")));
  EXPECT_FALSE(audio_flow_of(message("INVITE", "{\"tracks\":{}}")));
  EXPECT_FALSE(audio_flow_of(message("INVITE", "{\"tracks\":[{\"kind\":\"video\",\"flow_id\":3}]}")));
  EXPECT_FALSE(audio_flow_of(message("INVITE", "{\"tracks\":[{\"kind\":\"audio\",\"flow_id\":-3}]}")));
  EXPECT_FALSE(audio_flow_of(message("INVITE", "{\"tracks\":[{\"kind\":\"audio\",\"flow_id\":4611686018427387904}]}")));
  EXPECT_EQ(audio_flow_of(message("INVITE", "{\"tracks\":[{\"kind\":\"video\",\"flow_id\":3},{\"kind\":\"audio\",\"flow_id\":9}]}")),
            9u);
}

}  // namespace
}  // namespace qsip::cli
