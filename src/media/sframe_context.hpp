#pragma once
// SFrame send and receive contexts (RFC 9605 sections 4.4.3 and 4.4.4).
// The sender protects frames under one KID with a counter that starts at 0
// and never repeats for that key; the receiver holds a bounded set of keys by
// KID (several senders, or the old and new key across a rekey) and one
// replay window per KID.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "media/bytes.hpp"
#include "media/replay_window.hpp"
#include "media/sframe_header.hpp"
#include "media/sframe_cipher_suite.hpp"
#include "media/sframe_key_schedule.hpp"

namespace qsip::media {

class SframeSender {
 public:
  SframeSender(CipherSuite suite, std::uint64_t kid, ByteView base_key);

  // Header || AEAD(plaintext) with AAD = header || metadata. nullopt only when
  // the counter space of the key is spent (2^64 frames): the caller must rekey.
  std::optional<Bytes> protect(ByteView plaintext, ByteView metadata = {});

  // A new key under a new KID; the counter starts over.
  void rekey(std::uint64_t kid, ByteView base_key);

  std::uint64_t kid() const { return kid_; }
  std::uint64_t next_counter() const { return counter_; }
  const CipherSuiteParams& suite() const { return suite_; }

 private:
  CipherSuiteParams suite_;
  std::uint64_t kid_;
  SframeKeyMaterial keys_;
  std::uint64_t counter_ = 0;
  bool exhausted_ = false;
};

enum class UnprotectStatus {
  ok,
  malformed,       // shorter than its header, or than header + tag
  unknown_kid,     // no key for the header's KID
  replayed,        // this counter was already accepted under this KID
  too_old,         // below the replay window
  authentication,  // the tag does not verify (wrong key, tampering)
};

const char* to_string(UnprotectStatus status);

struct UnprotectResult {
  UnprotectStatus status = UnprotectStatus::malformed;
  SframeHeader header;
  Bytes plaintext;
};

class SframeReceiver {
 public:
  // Keys held at once; adding more evicts nothing and fails.
  static constexpr std::size_t max_keys = 64;

  explicit SframeReceiver(CipherSuite suite);

  // Installs (or replaces, with a fresh replay window) the key of `kid`.
  // False when max_keys other KIDs are already held.
  bool add_key(std::uint64_t kid, ByteView base_key);
  void remove_key(std::uint64_t kid);
  std::size_t key_count() const { return keys_.size(); }

  UnprotectResult unprotect(ByteView frame, ByteView metadata = {});

 private:
  struct KeyState {
    SframeKeyMaterial material;
    ReplayWindow window;
  };
  CipherSuiteParams suite_;
  std::map<std::uint64_t, KeyState> keys_;
};

}  // namespace qsip::media
