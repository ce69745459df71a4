#include "call_signaling.hpp"

#include <nettle/base64.h>
#include <simdjson.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "core/json_writer.hpp"
#include "media/media_datagram.hpp"

namespace qsip::cli {
namespace {

void fill_random(std::uint8_t* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::getrandom(out + done, size - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<std::size_t>(got);
  }
}

std::string base64(const media::Bytes& bytes) {
  std::string out(BASE64_ENCODE_RAW_LENGTH(bytes.size()), '\0');
  base64_encode_raw(out.data(), bytes.size(), bytes.data());
  return out;
}

std::optional<media::Bytes> unbase64(std::string_view text) {
  if (text.size() > 128) return std::nullopt;  // 64 bytes of key is 88 characters
  base64_decode_ctx ctx;
  base64_decode_init(&ctx);
  media::Bytes out(BASE64_DECODE_LENGTH(text.size()));
  std::size_t length = out.size();
  if (!base64_decode_update(&ctx, &length, out.data(), text.size(), text.data())) return std::nullopt;
  if (!base64_decode_final(&ctx)) return std::nullopt;
  out.resize(length);
  return out;
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void write_audio_track(core::JsonWriter& w, std::uint64_t flow_id) {
  w.key("tracks").begin_array().begin_object();
  w.member("track_id", "audio-0").member("kind", "audio").member("codec", call_audio_codec).member("flow_id", flow_id);
  w.end_object().end_array();
}

void write_audio_codecs(core::JsonWriter& w) {
  w.key("codecs").begin_object().key("audio").begin_array().value(call_audio_codec).end_array().end_object();
}

}  // namespace

SframeKey new_sending_key() {
  SframeKey key;
  key.base_key.resize(32);
  fill_random(key.base_key.data(), key.base_key.size());
  std::uint8_t kid[2];
  fill_random(kid, sizeof kid);
  key.kid = static_cast<std::uint64_t>(kid[0]) << 8 | kid[1];
  return key;
}

std::uint32_t random_u32() {
  std::uint8_t bytes[4];
  fill_random(bytes, sizeof bytes);
  return static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
         static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
}

std::string invite_payload(std::uint64_t flow_id) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object();
  w.key("media_types").begin_array().value("audio").end_array();
  write_audio_codecs(w);
  w.key("encryption").begin_array().value("sframe").end_array();
  write_audio_track(w, flow_id);
  w.end_object();
  return json;
}

std::string accept_payload(std::uint64_t flow_id) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object();
  write_audio_codecs(w);
  w.member("encryption", "sframe");
  write_audio_track(w, flow_id);
  w.end_object();
  return json;
}

std::string key_exchange_payload(const SframeKey& key) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("mechanism", "sframe").key("sframe_params").begin_object();
  w.member("key_material", base64(key.base_key))
      .member("key_id", key.kid)
      .member("cipher_suite", media::cipher_suite_name(key.suite));
  w.end_object().end_object();
  return json;
}

std::string reason_payload(std::string_view reason, std::string_view detail) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("reason", reason).member("detail", detail).end_object();
  return json;
}

std::optional<std::uint64_t> audio_flow_of(const Message& message) {
  const auto tracks_json = message.payload_json("tracks");
  if (!tracks_json) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::array tracks;
  if (parser.parse(*tracks_json).get(tracks)) return std::nullopt;
  for (simdjson::dom::element track : tracks) {
    std::string_view kind;
    std::uint64_t flow = 0;
    if (track["kind"].get(kind) || !same_text(kind, "audio")) continue;
    if (track["flow_id"].get(flow) || flow > media::max_flow_id) continue;
    return flow;
  }
  return std::nullopt;
}

bool offers_opus_audio(const Message& invite) {
  simdjson::dom::parser parser;
  const auto media_types = invite.payload_json("media_types");
  simdjson::dom::array types;
  if (!media_types || parser.parse(*media_types).get(types)) return false;
  bool audio = false;
  for (simdjson::dom::element t : types) {
    std::string_view name;
    if (!t.get(name) && same_text(name, "audio")) audio = true;
  }
  if (!audio) return false;
  const auto codecs_json = invite.payload_json("codecs");
  if (!codecs_json) return true;
  simdjson::dom::parser codec_parser;
  simdjson::dom::array audio_codecs;
  if (codec_parser.parse(*codecs_json)["audio"].get(audio_codecs)) return true;  // no audio list: open
  for (simdjson::dom::element c : audio_codecs) {
    std::string_view name;
    if (!c.get(name) && same_text(name, call_audio_codec)) return true;
  }
  return false;
}

PeerKeyResult peer_key_of(const Message& message) {
  simdjson::dom::parser parser;
  simdjson::dom::element payload;
  if (parser.parse(message.json())["payload"].get(payload)) return {std::nullopt, "payload: not an object"};
  std::string_view mechanism;
  if (payload["mechanism"].get(mechanism) || !same_text(mechanism, "sframe"))
    return {std::nullopt, "payload.mechanism: not sframe"};
  simdjson::dom::element params = payload;
  std::string prefix = "payload.";
  if (simdjson::dom::element nested; !payload["sframe_params"].get(nested) && nested.is_object()) {
    params = nested;
    prefix = "payload.sframe_params.";
  }
  SframeKey key;
  std::string_view suite_name;
  if (!params["cipher_suite"].get(suite_name) || !payload["cipher_suite"].get(suite_name)) {
    const auto suite = media::cipher_suite_from_name(suite_name);
    if (!suite) return {std::nullopt, prefix + "cipher_suite: not an SFrame cipher suite"};
    key.suite = *suite;
  }
  simdjson::dom::element kid;
  if (params["key_id"].get(kid)) return {std::nullopt, prefix + "key_id: required"};
  std::uint64_t kid_number = 0;
  std::string_view kid_text;
  if (!kid.get(kid_number)) {
    key.kid = kid_number;
  } else if (!kid.get(kid_text)) {
    const auto parsed = std::from_chars(kid_text.data(), kid_text.data() + kid_text.size(), kid_number);
    if (parsed.ec != std::errc{} || parsed.ptr != kid_text.data() + kid_text.size())
      return {std::nullopt, prefix + "key_id: not a number"};
    key.kid = kid_number;
  } else {
    return {std::nullopt, prefix + "key_id: not a number"};
  }
  std::string_view material;
  if (params["key_material"].get(material)) return {std::nullopt, prefix + "key_material: required"};
  auto bytes = unbase64(material);
  if (!bytes || bytes->size() < 16 || bytes->size() > 64)
    return {std::nullopt, prefix + "key_material: not base64 of 16 to 64 bytes"};
  key.base_key = std::move(*bytes);
  return {std::move(key), {}};
}

}  // namespace qsip::cli
