// Codec negotiation (draft 7.2) and track announcements (wire profile 7),
// pure functions over the payloads of INVITE, ACCEPT and MEDIA_UPDATE:
//  - an INVITE's offer: its media_types (each one the server knows, else
//    4062) and codecs per media type (keys among media_types, else 4062);
//  - an ACCEPT's answer: every codec it selects must be in the offer for its
//    media type, compared case-insensitively (else 4061 NoCommonCodec); an
//    empty selection for a type is 4061 too; a type that was not offered is
//    4062 UnsupportedMediaType;
//  - tracks (INVITE/ACCEPT `tracks`, MEDIA_UPDATE `add_tracks`): at most
//    kMaxTracks, unique track_id and flow_id (simulcast layers' flow ids
//    included), a flow_id on each, a kind among the session's media types (4062).
// docs/calls.md "Codec negotiation".
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/failure.hpp"

namespace qsip::server::calls {

inline constexpr std::size_t kMaxMediaTypes = 8;
inline constexpr std::size_t kMaxCodecsPerType = 16;
inline constexpr std::size_t kMaxTracks = 32;

// Media types the server knows (draft 5.3 and 5.24 examples, plus "data").
bool known_media_type(std::string_view type);

using CodecMap = std::map<std::string, std::vector<std::string>>;  // media type -> codec names (lower case)

struct Offer {
  std::vector<std::string> media_types;
  CodecMap codecs;  // only the types the INVITE listed codecs for
};

// A simulcast layer (draft 7.4): sent on its own flow id (the track's
// flow_id when it names none), told apart by `rid`.
struct TrackLayer {
  std::uint64_t flow_id = 0;
  std::string rid;
  std::uint64_t max_bitrate = 0;  // bits a second; 0 = not announced
};

struct Track {
  std::string track_id;
  std::string kind;
  std::uint64_t flow_id = 0;
  std::vector<TrackLayer> layers;  // simulcast layers (draft 7.4); empty for a plain track
};

// An INVITE payload's offer, or 4062 / 4001 naming the field.
core::Outcome<Offer> read_offer(simdjson::dom::object payload);

// The codecs an ACCEPT selects from `offer` (empty when it selects none
// explicitly: every offered codec stays possible), or 4061 / 4062.
core::Outcome<CodecMap> negotiate(const Offer& offer, simdjson::dom::object accept_payload);

// The tracks of `field` ("tracks" or "add_tracks") in `payload`, checked
// against `media_types` (4062) and for unique ids (4001).
core::Outcome<std::vector<Track>> read_tracks(simdjson::dom::object payload, std::string_view field,
                                              const std::vector<std::string>& media_types);

std::string lower(std::string_view text);

}  // namespace qsip::server::calls
