// The dispatcher's hand-over of file-transfer streams (raw_streams.hpp):
// which streams are handed over, exactly which bytes the handler gets, and
// the session's rules (REGISTER first, valid token, no 0-RTT) applied to
// the header.
#include "server/dispatch/raw_streams.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <map>

#include "core/frame_decoder.hpp"
#include "server/dispatch/client_session.hpp"
#include "../recording_outbound.hpp"

using namespace qsip;
using namespace qsip::server;
using qsip::server::testing::RecordingOutbound;

namespace {

const std::string kHeader = core::encode_frame(R"({"file_transfer":"upload","message_id":"m-1"})");

struct RecordingHandler : RawStreamHandler {
  void on_stream_claimed(ClientSession&, std::int64_t stream_id, std::string_view header_json) override {
    headers[stream_id] = std::string(header_json);
  }
  void on_stream_bytes(ClientSession& session, std::int64_t stream_id, std::string_view bytes, bool fin) override {
    bytes_of[stream_id] += bytes;
    if (fin) finished[stream_id] = true;
    if (drain_at_fin && fin) session.raw_streams().drain(stream_id);
  }
  void on_stream_aborted(ClientSession&, std::int64_t stream_id) override { ++aborted[stream_id]; }

  std::map<std::int64_t, std::string> headers, bytes_of;
  std::map<std::int64_t, bool> finished;
  std::map<std::int64_t, int> aborted;
  bool drain_at_fin = true;
};

struct RecordingWriter : RawStreamWriter {
  SendResult write(std::int64_t stream_id, std::string_view, bool fin) override {
    if (fin) fins[stream_id] = true;
    return SendResult::kQueued;
  }
  void reset(std::int64_t stream_id, std::uint64_t code) override { resets[stream_id] = code; }
  std::size_t queued_bytes() const override { return 0; }
  std::map<std::int64_t, bool> fins;
  std::map<std::int64_t, std::uint64_t> resets;
};

class RawStreamsTest : public ::testing::Test {
 protected:
  RawStreamsTest() : context("qsip-server", "node-1") {
    context.streams = &handler;
    session = std::make_unique<ClientSession>(context, out, 1);
    session->raw_streams().set_writer(&writer);
    session->on_stream_data(0, "", false, false);  // primary
  }
  void registered(std::int64_t expires_in = 3600) {
    session->set_registered("u-alice", "d-1", std::time(nullptr) + expires_in);
  }
  void feed(std::int64_t stream, std::string_view bytes, bool fin = false, bool early = false) {
    session->on_stream_data(stream, bytes, fin, early);
  }

  WorkerContext context;
  RecordingHandler handler;
  RecordingOutbound out;
  RecordingWriter writer;
  std::unique_ptr<ClientSession> session;
};

}  // namespace

TEST(RawStreamHeader, IsAnObjectWithAFileTransferMember) {
  auto padded = [](std::string s) { return s + std::string(simdjson::SIMDJSON_PADDING, '\0'); };
  auto header = [&](const std::string& json) {
    std::string p = padded(json);
    return parse_raw_stream_header(std::string_view(p.data(), json.size()));
  };
  ASSERT_TRUE(header(R"({"file_transfer":"upload","message_id":"m-7"})"));
  EXPECT_EQ(header(R"({"file_transfer":"upload","message_id":"m-7"})")->message_id, "m-7");
  EXPECT_EQ(header(R"({"file_transfer":5,"message_id":7})")->message_id, "");
  EXPECT_FALSE(header(R"({"payload":{"file_transfer":"upload"}})"));
  EXPECT_FALSE(header(R"(["file_transfer"])"));
  EXPECT_FALSE(header(R"({"file_transfer":)"));
  EXPECT_FALSE(header(R"({"qsip_version":"1.0"})"));
}

TEST_F(RawStreamsTest, TheBytesAfterTheHeaderGoToTheHandlerWhateverTheFragmentation) {
  registered();
  std::string body = "\x01\x02raw bytes that are not frames";
  std::string all = kHeader + body;
  feed(4, all.substr(0, 1));
  feed(4, all.substr(1, kHeader.size() + 3));  // the header's end and the body's start
  feed(4, all.substr(kHeader.size() + 4), true);
  EXPECT_EQ(handler.headers[4], R"({"file_transfer":"upload","message_id":"m-1"})");
  EXPECT_EQ(handler.bytes_of[4], body);
  EXPECT_TRUE(handler.finished[4]);
  EXPECT_TRUE(out.sent.empty());
  EXPECT_EQ(out.closed_with, 0u);
}

TEST_F(RawStreamsTest, OnlyTheFirstFrameOfANonPrimaryStreamHandsItOver) {
  registered();
  feed(0, kHeader);  // the primary stream: an ordinary (invalid) message
  feed(8, core::encode_frame(R"({"a":1})") + kHeader);
  EXPECT_TRUE(handler.headers.empty());
  EXPECT_EQ(out.sent.size(), 3u);
  for (const auto& sent : out.sent) EXPECT_EQ(sent.json.find("\"type\":\"ERROR\"") != std::string::npos, true);

  context.streams = nullptr;  // no files module: frames stay frames
  feed(12, kHeader);
  EXPECT_TRUE(handler.headers.empty());
  EXPECT_EQ(out.sent.size(), 4u);
}

TEST_F(RawStreamsTest, TheSessionsRulesApplyToTheHeader) {
  std::string body(5000, 'x');
  feed(4, kHeader + body, true);  // not registered
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4015");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-1");
  EXPECT_TRUE(writer.fins[4]);
  EXPECT_TRUE(handler.headers.empty());

  registered(-10);  // token expired
  feed(8, kHeader);
  EXPECT_EQ(out.payload_field(1, "code"), "4012");

  registered();
  feed(12, kHeader, false, /*early=*/true);  // 0-RTT: a replay would store twice
  EXPECT_EQ(out.payload_field(2, "code"), "4051");
  EXPECT_TRUE(handler.headers.empty());
  // The refused streams' bytes were dropped, not decoded as messages.
  feed(8, std::string(100, 'y'));
  EXPECT_EQ(out.sent.size(), 3u);
}

TEST_F(RawStreamsTest, ARefusedStreamThatKeepsSendingIsReset) {
  feed(4, kHeader);  // 4015
  std::string megabyte(1024 * 1024, 'z');
  feed(4, megabyte);
  EXPECT_EQ(writer.resets.count(4), 0u);
  feed(4, "more");
  EXPECT_EQ(writer.resets.count(4), 1u);
}

TEST_F(RawStreamsTest, AResetOrTheConnectionsEndAbortsTheHandlersStreams) {
  registered();
  feed(4, kHeader + "abc");
  feed(8, kHeader + "def");
  session->on_stream_closed(4);  // RESET_STREAM
  EXPECT_EQ(handler.aborted[4], 1);
  EXPECT_EQ(handler.aborted.count(8), 0u);
  session.reset();
  EXPECT_EQ(handler.aborted[8], 1);
  EXPECT_EQ(handler.aborted[4], 1);
}

TEST_F(RawStreamsTest, ADrainedStreamIsForgottenAtItsFin) {
  registered();
  feed(4, kHeader + "abc", true);  // the handler drains at FIN
  EXPECT_TRUE(handler.finished[4]);
  session.reset();
  EXPECT_TRUE(handler.aborted.empty());
}

TEST_F(RawStreamsTest, ATransferStreamIsNeverThePrimaryOne) {
  ClientSession fresh(context, out, 2);
  fresh.raw_streams().set_writer(&writer);
  // Nothing came on stream 0 yet: the header's stream carries the first data.
  fresh.on_stream_data(4, kHeader + "abc", false, false);
  EXPECT_EQ(out.payload_field(0, "code"), "4015");
  fresh.on_stream_data(4, "def", false, false);
  fresh.on_stream_closed(4);  // its reset does not end the session
  EXPECT_EQ(out.closed_with, 0u);
  fresh.on_stream_data(0, "", false, false);
  EXPECT_EQ(fresh.primary_stream(), 0);
}
