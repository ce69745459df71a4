#include "server/calls/track_rewrite.hpp"

#include <simdjson.h>

#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "core/varint.hpp"

namespace qsip::server::calls {

namespace {

// The tracks array with the flow ids replaced.
void write_tracks(core::JsonWriter& w, simdjson::dom::array tracks, const std::map<std::string, std::uint64_t>& flows) {
  w.begin_array();
  for (auto item : tracks) {
    simdjson::dom::object track;
    std::string_view id;
    if (item.get(track) || track["track_id"].get(id) || !flows.count(std::string(id))) {
      w.raw(simdjson::minify(item));
      continue;
    }
    w.begin_object();
    for (auto [key, value] : track) {
      w.key(key);
      if (key == "flow_id") w.value(flows.at(std::string(id)));
      else w.raw(simdjson::minify(value));
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace

FrameBytes rewrite_track_flows(const FrameBytes& frame, std::string_view field,
                               const std::map<std::string, std::uint64_t>& flows) {
  if (flows.empty() || !frame) return frame;
  auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(frame->data()), frame->size());
  auto length = core::varint_decode(bytes);
  if (!length || length->size + length->value != frame->size()) return frame;
  simdjson::dom::parser parser;
  simdjson::dom::object message;
  if (parser.parse(frame->data() + length->size, length->value).get(message)) return frame;
  std::string json;
  core::JsonWriter w(json);
  w.begin_object();
  for (auto [key, value] : message) {
    w.key(key);
    simdjson::dom::object payload;
    if (key != "payload" || value.get(payload)) {
      w.raw(simdjson::minify(value));
      continue;
    }
    w.begin_object();
    for (auto [pkey, pvalue] : payload) {
      w.key(pkey);
      simdjson::dom::array tracks;
      if (pkey == field && pvalue.get(tracks) == simdjson::SUCCESS) write_tracks(w, tracks, flows);
      else w.raw(simdjson::minify(pvalue));
    }
    w.end_object();
  }
  w.end_object();
  return make_frame_bytes(core::encode_frame(json));
}

FrameBytes frame_for_receiver(CallSession& session, const Participant& sender, const std::string& receiver,
                              std::string_view field, const std::vector<Track>& announced, const FrameBytes& frame) {
  std::map<std::string, std::uint64_t> differing;
  for (const auto& track : announced) {
    auto flow = session.flows.assign(receiver, sender.user_id, track.track_id, track.flow_id);
    if (flow != track.flow_id) differing.emplace(track.track_id, flow);
  }
  return rewrite_track_flows(frame, field, differing);
}

}  // namespace qsip::server::calls
