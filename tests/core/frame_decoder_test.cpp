#include "core/frame_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/varint.hpp"

using namespace qsip::core;

namespace {

struct Recorded {
  FrameDecoder::Event event;
  std::string body;
  std::string frame;
  std::uint64_t length;
};

struct Recorder : FrameDecoder::Sink {
  std::vector<Recorded> events;
  void on_frame(FrameDecoder::Event event, std::string_view body, std::string_view frame,
                std::uint64_t length) override {
    events.push_back({event, std::string(body), std::string(frame), length});
  }
};

std::string length_prefix(std::uint64_t n) {
  std::uint8_t buf[8];
  std::size_t size = varint_encode(n, buf);
  return std::string(reinterpret_cast<char*>(buf), size);
}

}  // namespace

TEST(FrameDecoder, DecodesSeveralFramesInOneChunk) {
  std::string wire = encode_frame(R"({"a":1})") + encode_frame(R"({"b":2})");
  FrameDecoder decoder;
  Recorder sink;
  decoder.feed(wire, sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].body, R"({"a":1})");
  EXPECT_EQ(sink.events[1].body, R"({"b":2})");
  EXPECT_EQ(sink.events[0].frame, encode_frame(R"({"a":1})"));
  EXPECT_TRUE(decoder.idle());
}

TEST(FrameDecoder, AcceptsOneByteAtATime) {
  std::string body(300, 'x');
  body = "{\"k\":\"" + body + "\"}";  // two-byte length prefix
  std::string wire = encode_frame(body) + encode_frame("{}");
  FrameDecoder decoder;
  Recorder sink;
  for (char c : wire) decoder.feed(std::string_view(&c, 1), sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].body, body);
  EXPECT_EQ(sink.events[1].body, "{}");
}

TEST(FrameDecoder, BodyIsFollowedByParserPadding) {
  struct PaddingCheck : FrameDecoder::Sink {
    bool zeroes = false;
    void on_frame(FrameDecoder::Event, std::string_view body, std::string_view, std::uint64_t) override {
      zeroes = true;
      for (std::size_t i = 0; i < simdjson::SIMDJSON_PADDING; ++i) zeroes = zeroes && body.data()[body.size() + i] == '\0';
    }
  } sink;
  FrameDecoder decoder;
  decoder.feed(encode_frame("{}"), sink);
  EXPECT_TRUE(sink.zeroes);
}

TEST(FrameDecoder, ReportsEmptyFrameAndGoesOn) {
  FrameDecoder decoder;
  Recorder sink;
  decoder.feed(length_prefix(0) + encode_frame("{}"), sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].event, FrameDecoder::Event::kEmptyFrame);
  EXPECT_EQ(sink.events[1].event, FrameDecoder::Event::kFrame);
}

TEST(FrameDecoder, AcceptsExactly65536Bytes) {
  std::string body(kMaxFrameBytes, ' ');
  FrameDecoder decoder;
  Recorder sink;
  decoder.feed(encode_frame(body), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].event, FrameDecoder::Event::kFrame);
  EXPECT_EQ(sink.events[0].body.size(), kMaxFrameBytes);
}

TEST(FrameDecoder, SkipsOversizeBodyWithoutBufferingIt) {
  const std::uint64_t big = kMaxFrameBytes + 1;
  FrameDecoder decoder;
  Recorder sink;
  decoder.feed(length_prefix(big), sink);
  // Reported as soon as the length is known, before any body byte.
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].event, FrameDecoder::Event::kOversizeFrame);
  EXPECT_EQ(sink.events[0].length, big);
  std::string chunk(4096, 'z');
  std::uint64_t sent = 0;
  while (sent + chunk.size() <= big) {
    decoder.feed(chunk, sink);
    sent += chunk.size();
    EXPECT_EQ(decoder.buffered(), 0u);
  }
  decoder.feed(std::string(big - sent, 'z') + encode_frame(R"({"after":true})"), sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].body, R"({"after":true})");
}

TEST(FrameDecoder, HugeDeclaredLengthIsSkippedNotAllocated) {
  FrameDecoder decoder;
  Recorder sink;
  decoder.feed(length_prefix(kMaxVarint), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].event, FrameDecoder::Event::kOversizeFrame);
  decoder.feed(std::string(100000, 'q'), sink);
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST(FrameDecoder, PartialFrameIsNotIdle) {
  FrameDecoder decoder;
  Recorder sink;
  std::string wire = encode_frame(R"({"a":1})");
  decoder.feed(std::string_view(wire).substr(0, 3), sink);
  EXPECT_FALSE(decoder.idle());
  decoder.feed(std::string_view(wire).substr(3), sink);
  EXPECT_TRUE(decoder.idle());
  EXPECT_EQ(sink.events.size(), 1u);
}
