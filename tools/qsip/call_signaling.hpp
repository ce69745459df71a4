// What `qsip call` and `qsip answer` say and read in a call's signaling
// (draft 5.3-5.6, 5.23; wire profile 7): an audio-only offer of Opus with
// one track and its flow id, the answer choosing it, each side's own SFrame
// sending key in KEY_EXCHANGE, END. Keys are drawn from the kernel's random
// source and never printed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/bytes.hpp"
#include "media/sframe_cipher_suite.hpp"
#include "qsip/message.hpp"

namespace qsip::cli {

// RFC 7587 writes Opus as opus/48000/2 whatever the channels sent (mono here).
inline constexpr std::string_view call_audio_codec = "opus/48000/2";
// Each side's audio track: the caller's on flow 1, the answerer's on flow 2
// (distinct, so a relay never has to rewrite a 1:1 call's flow ids).
inline constexpr std::uint64_t caller_audio_flow = 1;
inline constexpr std::uint64_t answerer_audio_flow = 2;

struct SframeKey {
  media::CipherSuite suite = media::default_cipher_suite;
  std::uint64_t kid = 0;
  media::Bytes base_key;
};

// A fresh sending key: 32 random bytes and a random 16-bit KID (a short
// SFrame header). Throws std::runtime_error when the kernel gives no
// randomness.
SframeKey new_sending_key();
// A random 32-bit number (SSRC, first RTP sequence number and timestamp).
std::uint32_t random_u32();

std::string invite_payload(std::uint64_t flow_id);
std::string accept_payload(std::uint64_t flow_id);
std::string key_exchange_payload(const SframeKey& key);
// END's and REJECT's payload.
std::string reason_payload(std::string_view reason, std::string_view detail);

// The flow id of the first audio track of an INVITE's or ACCEPT's `tracks`.
std::optional<std::uint64_t> audio_flow_of(const Message& invite_or_accept);
// Whether an INVITE offers what we take: "audio" among its media_types and,
// when it lists audio codecs, Opus among them.
bool offers_opus_audio(const Message& invite);

struct PeerKeyResult {
  std::optional<SframeKey> key;
  std::string error;  // why not (names the field), when key is empty
};
// The sending key a peer's KEY_EXCHANGE carries (sframe_params or the
// payload's top level): mechanism "sframe", key_id a number or a decimal
// string, key_material base64 of 16 to 64 bytes, cipher_suite a RFC 9605
// name (AES_128_GCM_SHA256_128 when absent).
PeerKeyResult peer_key_of(const Message& key_exchange);

}  // namespace qsip::cli
