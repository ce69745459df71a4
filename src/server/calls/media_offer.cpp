#include "server/calls/media_offer.hpp"

#include <algorithm>
#include <set>

namespace qsip::server::calls {

namespace {

core::Failure failure(core::ErrorCode code, std::string detail) {
  return core::Failure{code, std::move(detail), {}, {}};
}

std::string at(std::string_view field, std::size_t index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool known_media_type(std::string_view type) {
  return type == "audio" || type == "video" || type == "screenshare" || type == "data";
}

core::Outcome<Offer> read_offer(simdjson::dom::object payload) {
  Offer offer;
  simdjson::dom::array types;
  if (payload["media_types"].get(types)) return failure(core::ErrorCode::kMalformedPayload, "payload.media_types: required");
  if (types.size() == 0) return failure(core::ErrorCode::kMalformedPayload, "payload.media_types: at least one media type");
  if (types.size() > kMaxMediaTypes)
    return failure(core::ErrorCode::kMalformedPayload,
                   "payload.media_types: at most " + std::to_string(kMaxMediaTypes) + " media types");
  std::size_t i = 0;
  for (auto item : types) {
    std::string_view type;
    if (item.get(type)) return failure(core::ErrorCode::kMalformedPayload, at("payload.media_types", i) + ": expected a string");
    auto name = lower(type);
    if (!known_media_type(name))
      return failure(core::ErrorCode::kUnsupportedMediaType,
                     at("payload.media_types", i) + ": unsupported media type (audio, video, screenshare, data)");
    if (!contains(offer.media_types, name)) offer.media_types.push_back(std::move(name));
    ++i;
  }
  simdjson::dom::object codecs;
  if (payload["codecs"].get(codecs) == simdjson::SUCCESS) {
    for (auto [key, value] : codecs) {
      auto type = lower(key);
      std::string field = "payload.codecs." + std::string(key);
      if (!contains(offer.media_types, type))
        return failure(core::ErrorCode::kUnsupportedMediaType, field + ": not among payload.media_types");
      simdjson::dom::array list;
      if (value.get(list)) return failure(core::ErrorCode::kMalformedPayload, field + ": expected an array of strings");
      if (list.size() > kMaxCodecsPerType)
        return failure(core::ErrorCode::kMalformedPayload,
                       field + ": at most " + std::to_string(kMaxCodecsPerType) + " codecs");
      auto& names = offer.codecs[type];
      std::size_t j = 0;
      for (auto codec : list) {
        std::string_view name;
        if (codec.get(name) || name.empty())
          return failure(core::ErrorCode::kMalformedPayload, at(field, j) + ": expected a codec name");
        names.push_back(lower(name));
        ++j;
      }
    }
  }
  return offer;
}

core::Outcome<CodecMap> negotiate(const Offer& offer, simdjson::dom::object accept_payload) {
  CodecMap chosen;
  simdjson::dom::object codecs;
  if (accept_payload["codecs"].get(codecs) != simdjson::SUCCESS) return chosen;
  for (auto [key, value] : codecs) {
    auto type = lower(key);
    std::string field = "payload.codecs." + std::string(key);
    if (!contains(offer.media_types, type))
      return failure(core::ErrorCode::kUnsupportedMediaType, field + ": media type not offered by the INVITE");
    simdjson::dom::array list;
    if (value.get(list)) return failure(core::ErrorCode::kMalformedPayload, field + ": expected an array of strings");
    if (list.size() == 0) return failure(core::ErrorCode::kNoCommonCodec, field + ": no codec selected");
    if (list.size() > kMaxCodecsPerType)
      return failure(core::ErrorCode::kMalformedPayload, field + ": at most " + std::to_string(kMaxCodecsPerType) + " codecs");
    auto offered = offer.codecs.find(type);
    auto& names = chosen[type];
    std::size_t j = 0;
    for (auto codec : list) {
      std::string_view name;
      if (codec.get(name) || name.empty())
        return failure(core::ErrorCode::kMalformedPayload, at(field, j) + ": expected a codec name");
      auto lowered = lower(name);
      // A type the INVITE listed no codecs for leaves the choice open.
      if (offered != offer.codecs.end() && !contains(offered->second, lowered))
        return failure(core::ErrorCode::kNoCommonCodec, at(field, j) + ": " + std::string(name) + " was not offered");
      names.push_back(std::move(lowered));
      ++j;
    }
  }
  return chosen;
}

core::Outcome<std::vector<Track>> read_tracks(simdjson::dom::object payload, std::string_view field,
                                              const std::vector<std::string>& media_types) {
  std::vector<Track> tracks;
  simdjson::dom::array list;
  if (payload[field].get(list) != simdjson::SUCCESS) return tracks;
  const std::string name = "payload." + std::string(field);
  if (list.size() > kMaxTracks)
    return failure(core::ErrorCode::kMalformedPayload, name + ": at most " + std::to_string(kMaxTracks) + " tracks");
  std::set<std::string> ids;
  std::set<std::uint64_t> flows;
  std::size_t i = 0;
  for (auto item : list) {
    const std::string where = at(name, i++);
    simdjson::dom::object track;
    if (item.get(track)) return failure(core::ErrorCode::kMalformedPayload, where + ": expected an object");
    Track t;
    std::string_view id, kind;
    if (track["track_id"].get(id) || id.empty()) return failure(core::ErrorCode::kMalformedPayload, where + ".track_id: required");
    if (track["kind"].get(kind)) return failure(core::ErrorCode::kMalformedPayload, where + ".kind: required");
    std::uint64_t flow = 0;
    std::int64_t signed_flow = 0;
    if (track["flow_id"].get(flow) != simdjson::SUCCESS) {
      if (track["flow_id"].get(signed_flow) != simdjson::SUCCESS || signed_flow < 0)
        return failure(core::ErrorCode::kMalformedPayload, where + ".flow_id: required (wire profile 7)");
      flow = static_cast<std::uint64_t>(signed_flow);
    }
    t.track_id = std::string(id);
    t.kind = lower(kind);
    t.flow_id = flow;
    if (!known_media_type(t.kind) || !contains(media_types, t.kind))
      return failure(core::ErrorCode::kUnsupportedMediaType, where + ".kind: " + std::string(kind) + " is not a media type of this session");
    if (!ids.insert(t.track_id).second) return failure(core::ErrorCode::kMalformedPayload, where + ".track_id: repeated");
    if (!flows.insert(t.flow_id).second) return failure(core::ErrorCode::kMalformedPayload, where + ".flow_id: repeated");
    // Simulcast layers (draft 7.4): each a `rid` (unique in the track) and
    // a flow id of its own, unique too; a layer without one is sent on the
    // track's flow_id (at most one such layer).
    simdjson::dom::array layers;
    if (track["layers"].get(layers) == simdjson::SUCCESS) {
      std::size_t j = 0;
      bool track_flow_taken = false;
      std::set<std::string> rids;
      for (auto item_layer : layers) {
        const std::string lwhere = at(where + ".layers", j++);
        simdjson::dom::object layer;
        if (item_layer.get(layer)) return failure(core::ErrorCode::kMalformedPayload, lwhere + ": expected an object");
        TrackLayer l;
        std::string_view rid;
        if (layer["rid"].get(rid) || rid.empty()) return failure(core::ErrorCode::kMalformedPayload, lwhere + ".rid: required");
        l.rid = std::string(rid);
        if (!rids.insert(l.rid).second) return failure(core::ErrorCode::kMalformedPayload, lwhere + ".rid: repeated");
        std::uint64_t layer_flow = 0;
        if (layer["flow_id"].get(layer_flow) == simdjson::SUCCESS) {
          if (!flows.insert(layer_flow).second)
            return failure(core::ErrorCode::kMalformedPayload, lwhere + ".flow_id: repeated");
          l.flow_id = layer_flow;
        } else {
          if (track_flow_taken) return failure(core::ErrorCode::kMalformedPayload, lwhere + ".flow_id: repeated (the track's)");
          track_flow_taken = true;
          l.flow_id = t.flow_id;
        }
        std::uint64_t bitrate = 0;
        if (layer["max_bitrate"].get(bitrate) == simdjson::SUCCESS) l.max_bitrate = bitrate;
        t.layers.push_back(std::move(l));
      }
    }
    tracks.push_back(std::move(t));
  }
  return tracks;
}

}  // namespace qsip::server::calls
