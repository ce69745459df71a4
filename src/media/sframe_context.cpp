#include "media/sframe_context.hpp"

#include <limits>

#include "media/sframe_header.hpp"

namespace qsip::media {
namespace {

Bytes header_and_metadata(ByteView header, ByteView metadata) {
  Bytes aad;
  aad.reserve(header.size() + metadata.size());
  aad.insert(aad.end(), header.begin(), header.end());
  aad.insert(aad.end(), metadata.begin(), metadata.end());
  return aad;
}

}  // namespace

SframeSender::SframeSender(CipherSuite suite, std::uint64_t kid, ByteView base_key)
    : suite_(cipher_suite_params(suite)),
      kid_(kid),
      keys_(derive_sframe_key_material(suite_, kid, base_key)) {}

std::optional<Bytes> SframeSender::protect(ByteView plaintext, ByteView metadata) {
  if (exhausted_) return std::nullopt;
  const std::uint64_t counter = counter_;
  if (counter == std::numeric_limits<std::uint64_t>::max()) {
    exhausted_ = true;
  } else {
    ++counter_;
  }
  Bytes frame = encode_sframe_header(SframeHeader{kid_, counter});
  const Bytes aad = header_and_metadata(frame, metadata);
  const Bytes sealed = aead_seal(suite_, keys_.key, sframe_nonce(keys_.salt, counter), aad, plaintext);
  frame.insert(frame.end(), sealed.begin(), sealed.end());
  return frame;
}

void SframeSender::rekey(std::uint64_t kid, ByteView base_key) {
  kid_ = kid;
  keys_ = derive_sframe_key_material(suite_, kid, base_key);
  counter_ = 0;
  exhausted_ = false;
}

const char* to_string(UnprotectStatus status) {
  switch (status) {
    case UnprotectStatus::ok: return "ok";
    case UnprotectStatus::malformed: return "malformed";
    case UnprotectStatus::unknown_kid: return "unknown_kid";
    case UnprotectStatus::replayed: return "replayed";
    case UnprotectStatus::too_old: return "too_old";
    case UnprotectStatus::authentication: return "authentication";
  }
  return "unknown";
}

SframeReceiver::SframeReceiver(CipherSuite suite) : suite_(cipher_suite_params(suite)) {}

bool SframeReceiver::add_key(std::uint64_t kid, ByteView base_key) {
  if (keys_.size() >= max_keys && !keys_.contains(kid)) return false;
  keys_[kid] = KeyState{derive_sframe_key_material(suite_, kid, base_key), ReplayWindow{}};
  return true;
}

void SframeReceiver::remove_key(std::uint64_t kid) { keys_.erase(kid); }

UnprotectResult SframeReceiver::unprotect(ByteView frame, ByteView metadata) {
  UnprotectResult result;
  const auto decoded = decode_sframe_header(frame);
  if (!decoded || frame.size() - decoded->size < suite_.tag_size) return result;
  result.header = decoded->header;
  const auto key = keys_.find(decoded->header.kid);
  if (key == keys_.end()) {
    result.status = UnprotectStatus::unknown_kid;
    return result;
  }
  switch (key->second.window.check(decoded->header.counter)) {
    case ReplayCheck::replayed: result.status = UnprotectStatus::replayed; return result;
    case ReplayCheck::too_old: result.status = UnprotectStatus::too_old; return result;
    case ReplayCheck::fresh: break;
  }
  const ByteView header = frame.first(decoded->size);
  const Bytes aad = header_and_metadata(header, metadata);
  auto plaintext = aead_open(suite_, key->second.material.key,
                             sframe_nonce(key->second.material.salt, decoded->header.counter), aad,
                             frame.subspan(decoded->size));
  if (!plaintext) {
    result.status = UnprotectStatus::authentication;
    return result;
  }
  key->second.window.record(decoded->header.counter);
  result.status = UnprotectStatus::ok;
  result.plaintext = std::move(*plaintext);
  return result;
}

}  // namespace qsip::media
