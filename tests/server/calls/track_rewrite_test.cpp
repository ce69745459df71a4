// Forwarded INVITE/ACCEPT/MEDIA_UPDATE frames carry the flow ids their
// receiver sees: the same bytes when nothing differs, else only `flow_id`
// of the renumbered tracks changes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/frame_decoder.hpp"
#include "core/varint.hpp"
#include "server/calls/track_rewrite.hpp"

using namespace qsip::server;
using namespace qsip::server::calls;

namespace {

const char* kAccept =
    R"({"message_id":"m1","type":"ACCEPT","session_id":"s1","from":{"user_id":"carol","device_id":"c1"},)"
    R"("payload":{"codecs":{"audio":["opus/48000/2"]},"tracks":[{"track_id":"c-mic","kind":"audio","codec":"opus/48000/2","flow_id":0},)"
    R"({"track_id":"c-cam","kind":"video","codec":"av1/90000","flow_id":5,"layers":[{"rid":"h","flow_id":6}]}],"sdp_answer":"x\"y"}})";

simdjson::dom::element body(simdjson::dom::parser& parser, const FrameBytes& frame) {
  auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(frame->data()), frame->size());
  auto length = qsip::core::varint_decode(bytes);
  return parser.parse(frame->data() + length->size, length->value).value();
}

}  // namespace

TEST(TrackRewrite, NothingDiffersTheSameBytes) {
  auto frame = make_frame_bytes(qsip::core::encode_frame(kAccept));
  EXPECT_EQ(rewrite_track_flows(frame, "tracks", {}), frame);
}

TEST(TrackRewrite, OnlyTheFlowIdsOfRenumberedTracksChange) {
  auto frame = make_frame_bytes(qsip::core::encode_frame(kAccept));
  auto rewritten = rewrite_track_flows(frame, "tracks", {{"c-mic", 1}});
  ASSERT_NE(rewritten, frame);
  simdjson::dom::parser parser;
  auto message = body(parser, rewritten);
  auto tracks = message["payload"]["tracks"].get_array().value();
  std::vector<std::uint64_t> flows;
  for (auto t : tracks) flows.push_back(t["flow_id"].get_uint64().value());
  EXPECT_EQ(flows, (std::vector<std::uint64_t>{1, 5}));
  EXPECT_EQ(std::string_view(message["payload"]["sdp_answer"].get_string().value()), "x\"y");
  EXPECT_EQ(std::string_view(message["message_id"].get_string().value()), "m1");
  EXPECT_EQ(message["payload"]["tracks"].at(1)["layers"].at(0)["flow_id"].get_uint64().value(), 6u);
}

TEST(TrackRewrite, FrameForReceiverAssignsAndRewritesOnlyOnCollision) {
  CallSession s;
  Participant carol;
  carol.user_id = "carol";
  std::vector<Track> tracks{{"c-mic", "audio", 0, {}}};
  auto frame = make_frame_bytes(qsip::core::encode_frame(kAccept));
  EXPECT_EQ(frame_for_receiver(s, carol, "bob", "tracks", tracks, frame), frame);
  s.flows.assign("alice", "bob", "b-mic", 0);
  auto at_alice = frame_for_receiver(s, carol, "alice", "tracks", tracks, frame);
  ASSERT_NE(at_alice, frame);
  simdjson::dom::parser parser;
  EXPECT_EQ(body(parser, at_alice)["payload"]["tracks"].at(0)["flow_id"].get_uint64().value(), 1u);
  EXPECT_EQ(*s.flows.find("alice", "carol", "c-mic"), 1u);
}

TEST(TrackRewrite, AFrameThatDoesNotParseIsLeftAlone) {
  auto broken = make_frame_bytes(qsip::core::encode_frame("{not json"));
  EXPECT_EQ(rewrite_track_flows(broken, "tracks", {{"x", 1}}), broken);
}
