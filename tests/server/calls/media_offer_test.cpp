// Codec negotiation (draft 7.2) and tracks (wire profile 7): the offer of an
// INVITE, an ACCEPT's choice from it (4061, 4062), track checks.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "server/calls/media_offer.hpp"

using namespace qsip::server::calls;
using qsip::core::ErrorCode;

namespace {

simdjson::dom::object parse(simdjson::dom::parser& parser, const char* json) {
  return parser.parse(std::string_view(json)).get_object().value();
}

Offer offer_of(const char* json) {
  simdjson::dom::parser parser;
  auto offer = read_offer(parse(parser, json));
  EXPECT_TRUE(offer.ok()) << (offer.ok() ? "" : offer.failure().detail);
  return offer.ok() ? offer.value() : Offer{};
}

}  // namespace

TEST(MediaOffer, ReadsMediaTypesAndCodecsLowerCased) {
  auto offer = offer_of(R"({"media_types":["audio","Video"],"codecs":{"audio":["OPUS/48000/2"],"video":["av1/90000","vp9/90000"]}})");
  ASSERT_EQ(offer.media_types.size(), 2u);
  EXPECT_EQ(offer.media_types[1], "video");
  EXPECT_EQ(offer.codecs["audio"][0], "opus/48000/2");
  EXPECT_EQ(offer.codecs["video"].size(), 2u);
}

TEST(MediaOffer, RefusesUnknownMediaTypes) {
  simdjson::dom::parser parser;
  auto bad = read_offer(parse(parser, R"({"media_types":["audio","smell"]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.failure().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(bad.failure().detail.rfind("payload.media_types[1]", 0), 0u) << bad.failure().detail;
  auto codecs = read_offer(parse(parser, R"({"media_types":["audio"],"codecs":{"video":["av1/90000"]}})"));
  ASSERT_FALSE(codecs.ok());
  EXPECT_EQ(codecs.failure().code, ErrorCode::kUnsupportedMediaType);
  auto empty = read_offer(parse(parser, R"({"media_types":[]})"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.failure().code, ErrorCode::kMalformedPayload);
}

TEST(MediaOffer, AcceptChoosesFromTheOfferCaseInsensitively) {
  auto offer = offer_of(R"({"media_types":["audio","video"],"codecs":{"audio":["opus/48000/2"],"video":["av1/90000","vp9/90000"]}})");
  simdjson::dom::parser parser;
  auto chosen = negotiate(offer, parse(parser, R"({"codecs":{"audio":["Opus/48000/2"],"video":["AV1/90000"]}})"));
  ASSERT_TRUE(chosen.ok()) << chosen.failure().detail;
  EXPECT_EQ(chosen.value()["video"], std::vector<std::string>{"av1/90000"});
  auto none = negotiate(offer, parse(parser, R"({})"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());
}

TEST(MediaOffer, NoCommonCodecAndUnsupportedMediaType) {
  auto offer = offer_of(R"({"media_types":["audio"],"codecs":{"audio":["opus/48000/2"]}})");
  simdjson::dom::parser parser;
  auto other = negotiate(offer, parse(parser, R"({"codecs":{"audio":["pcmu/8000"]}})"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.failure().code, ErrorCode::kNoCommonCodec);
  EXPECT_EQ(other.failure().detail.rfind("payload.codecs.audio[0]", 0), 0u) << other.failure().detail;
  auto empty = negotiate(offer, parse(parser, R"({"codecs":{"audio":[]}})"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.failure().code, ErrorCode::kNoCommonCodec);
  auto video = negotiate(offer, parse(parser, R"({"codecs":{"video":["av1/90000"]}})"));
  ASSERT_FALSE(video.ok());
  EXPECT_EQ(video.failure().code, ErrorCode::kUnsupportedMediaType);
}

TEST(MediaOffer, TypesWithoutOfferedCodecsLeaveTheChoiceOpen) {
  auto offer = offer_of(R"({"media_types":["audio"]})");
  simdjson::dom::parser parser;
  auto chosen = negotiate(offer, parse(parser, R"({"codecs":{"audio":["g722/8000"]}})"));
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen.value()["audio"][0], "g722/8000");
}

TEST(MediaOffer, TracksCarryUniqueIdsAndFlowIdsOfSessionMediaTypes) {
  simdjson::dom::parser parser;
  const std::vector<std::string> types{"audio", "video"};
  auto ok = read_tracks(parse(parser, R"({"tracks":[{"track_id":"a1","kind":"audio","codec":"opus/48000/2","flow_id":4},
                                                    {"track_id":"v1","kind":"video","codec":"av1/90000","flow_id":8}]})"),
                        "tracks", types);
  ASSERT_TRUE(ok.ok()) << ok.failure().detail;
  ASSERT_EQ(ok.value().size(), 2u);
  EXPECT_EQ(ok.value()[1].flow_id, 8u);
  auto none = read_tracks(parse(parser, R"({})"), "tracks", types);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());

  auto repeated_flow = read_tracks(parse(parser, R"({"tracks":[{"track_id":"a1","kind":"audio","codec":"x","flow_id":4},
                                                              {"track_id":"a2","kind":"audio","codec":"x","flow_id":4}]})"),
                                   "tracks", types);
  ASSERT_FALSE(repeated_flow.ok());
  EXPECT_EQ(repeated_flow.failure().detail, "payload.tracks[1].flow_id: repeated");
  auto repeated_id = read_tracks(parse(parser, R"({"tracks":[{"track_id":"a1","kind":"audio","codec":"x","flow_id":4},
                                                            {"track_id":"a1","kind":"audio","codec":"x","flow_id":5}]})"),
                                 "tracks", types);
  ASSERT_FALSE(repeated_id.ok());
  EXPECT_EQ(repeated_id.failure().code, ErrorCode::kMalformedPayload);
  auto no_flow = read_tracks(parse(parser, R"({"add_tracks":[{"track_id":"a1","kind":"audio","codec":"x"}]})"),
                             "add_tracks", types);
  ASSERT_FALSE(no_flow.ok());
  EXPECT_EQ(no_flow.failure().detail, "payload.add_tracks[0].flow_id: required (wire profile 7)");
  auto screen = read_tracks(parse(parser, R"({"tracks":[{"track_id":"s1","kind":"screenshare","codec":"x","flow_id":1}]})"),
                            "tracks", types);
  ASSERT_FALSE(screen.ok());
  EXPECT_EQ(screen.failure().code, ErrorCode::kUnsupportedMediaType);
}

TEST(MediaOffer, SimulcastLayerFlowIdsAreUniqueToo) {
  simdjson::dom::parser parser;
  auto ok = read_tracks(parse(parser, R"({"tracks":[{"track_id":"v","kind":"video","codec":"av1/90000","flow_id":1,
                                        "layers":[{"rid":"h","flow_id":2},{"rid":"l","flow_id":3}]}]})"),
                        "tracks", {"video"});
  ASSERT_TRUE(ok.ok()) << ok.failure().detail;
  ASSERT_EQ(ok.value()[0].layers.size(), 2u);
  EXPECT_EQ(ok.value()[0].layers[0].flow_id, 2u);
  EXPECT_EQ(ok.value()[0].layers[0].rid, "h");
  EXPECT_EQ(ok.value()[0].layers[1].flow_id, 3u);
  auto clash = read_tracks(parse(parser, R"({"tracks":[{"track_id":"v","kind":"video","codec":"av1/90000","flow_id":1,
                                           "layers":[{"rid":"h","flow_id":1}]}]})"),
                           "tracks", {"video"});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.failure().detail, "payload.tracks[0].layers[0].flow_id: repeated");
}

TEST(MediaOffer, BoundsTheNumberOfTracks) {
  std::string json = R"({"tracks":[)";
  for (std::size_t i = 0; i <= kMaxTracks; ++i) {
    if (i) json += ',';
    json += R"({"track_id":"t)" + std::to_string(i) + R"(","kind":"audio","codec":"x","flow_id":)" + std::to_string(i) + "}";
  }
  json += "]}";
  simdjson::dom::parser parser;
  auto many = read_tracks(parser.parse(json).get_object().value(), "tracks", {"audio"});
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.failure().code, ErrorCode::kMalformedPayload);
}
