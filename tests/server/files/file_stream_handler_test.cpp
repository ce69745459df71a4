// File transfer streams through a real ClientSession without a network:
// the dispatcher hands the stream over at its header, the handler stores
// an upload and answers, paces a download on the send queue, and cleans up
// after a reset, an idle peer or a closed connection.
#include "server/files/file_stream_handler.hpp"

#include <thread>

#include "core/frame_decoder.hpp"
#include "files_fixture.hpp"
#include "../recording_outbound.hpp"

using namespace qsip;
using namespace qsip::server;
using namespace qsip::server::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kPrimary = 0;
constexpr std::int64_t kStream = 4;

std::string upload_header(const std::string& bytes, const std::string& id = "m-up") {
  return core::encode_frame(R"({"file_transfer":"upload","message_id":")" + id +
                            R"(","file_name":"notes.txt","file_size":)" + std::to_string(bytes.size()) +
                            R"(,"mime_type":"text/plain","sha256":")" + sha256_of(bytes) + R"("})");
}

std::string download_header(const std::string& file_id) {
  return core::encode_frame(R"({"file_transfer":"download","message_id":"m-down","file_id":")" + file_id + R"("})");
}

class FileStreamHandlerTest : public FilesFixture {
 protected:
  explicit FileStreamHandlerTest(FilesSettings settings = {}) : context("qsip-server", "node-1") {
    settings.send_window = 100'000;
    handler = std::make_unique<FileStreamHandler>(make_storage(settings), *reader, timer);
    context.streams = handler.get();
    session = std::make_unique<ClientSession>(context, out, 7);
    session->raw_streams().set_writer(&raw);
    session->set_registered("u-alice", "d-1", std::time(nullptr) + 3600);
    session->on_stream_data(kPrimary, "", false, false);  // the primary stream exists
  }

  void feed(std::int64_t stream, std::string_view bytes, bool fin = false) {
    session->on_stream_data(stream, bytes, fin, false);
  }
  // Waits for the writer's commit and runs the answer it schedules.
  void settle() {
    writer->flush();
    timer.run(*session, /*include_delayed=*/false);
  }
  // Uploads `bytes` on `stream` and returns the RECEIPT's file_id.
  std::string upload(const std::string& bytes, std::int64_t stream) {
    feed(stream, upload_header(bytes) + bytes, true);
    settle();
    EXPECT_FALSE(out.sent.empty());
    return out.sent.empty() ? std::string() : out.payload_field(out.sent.size() - 1, "file_id");
  }

  WorkerContext context;
  RecordingOutbound out;
  RecordingWriter raw;
  ManualTimer timer;
  std::unique_ptr<FileStreamHandler> handler;
  std::unique_ptr<ClientSession> session;
};

}  // namespace

TEST_F(FileStreamHandlerTest, AnUploadInPiecesIsStoredAndAnsweredOnItsStream) {
  std::string bytes = pattern(300'000);
  std::string all = upload_header(bytes) + bytes;
  // Any fragmentation: the header split, the body in odd pieces.
  for (std::size_t at = 0; at < all.size();) {
    std::size_t n = std::min<std::size_t>(at == 0 ? 3 : 7001, all.size() - at);
    feed(kStream, std::string_view(all).substr(at, n), at + n == all.size());
    at += n;
  }
  EXPECT_EQ(handler->active(), 1u);  // being recorded
  settle();
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.sent[0].stream_id, kStream);
  EXPECT_EQ(out.field(0, "type"), "RECEIPT");
  EXPECT_EQ(out.payload_field(0, "status"), "ok");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-up");
  std::string file_id = out.payload_field(0, "file_id");
  EXPECT_EQ(out.payload_field(0, "url"), "qsip://qsip-server/files/" + file_id);
  EXPECT_EQ(out.payload_field(0, "file_size"), std::to_string(bytes.size()));
  EXPECT_EQ(out.payload_field(0, "sha256"), sha256_of(bytes));
  EXPECT_TRUE(raw.finished[kStream]);
  EXPECT_EQ(handler->active(), 0u);
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
  EXPECT_TRUE(std::filesystem::exists(blobs->blob_path(sha256_of(bytes))));
}

TEST_F(FileStreamHandlerTest, AWrongHashIsRefusedNamingTheField) {
  std::string bytes = pattern(1000);
  std::string forged = upload_header(pattern(1000, 2)) + bytes;
  feed(kStream, forged, true);
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4001");
  EXPECT_EQ(out.payload_field(0, "detail"), "sha256: the bytes received hash to " + sha256_of(bytes));
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-up");
  EXPECT_TRUE(raw.finished[kStream]);
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
}

TEST_F(FileStreamHandlerTest, MoreBytesThanDeclaredAreRefusedAndTheRestDiscarded) {
  std::string bytes = pattern(1000);
  feed(kStream, upload_header(bytes) + bytes + "extra");
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "detail"), "file_size: more than the 1000 bytes declared were sent");
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
  // What follows is neither a message nor the handler's: dropped quietly.
  feed(kStream, core::encode_frame("{not json") + pattern(5000), true);
  EXPECT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.closed_with, 0u);
}

TEST_F(FileStreamHandlerTest, BadHeadersGetTheirErrorAndOrdinaryStreamsAreUntouched) {
  feed(kStream, core::encode_frame(R"({"file_transfer":"upload","message_id":"m-bad","file_size":1})"));
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4001");
  EXPECT_EQ(out.payload_field(0, "detail"), "file_name: required");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-bad");
  EXPECT_TRUE(raw.finished[kStream]);

  // A stream whose first frame is a message stays a message stream, even
  // when a later frame mentions file_transfer.
  feed(8, core::encode_frame(R"({"x":1})") + core::encode_frame(R"({"file_transfer":"upload"})"));
  ASSERT_EQ(out.sent.size(), 3u);
  EXPECT_EQ(out.payload_field(1, "code"), "4001");
  EXPECT_EQ(out.payload_field(2, "code"), "4001");
  EXPECT_EQ(raw.finished.count(8), 0u);
}

TEST_F(FileStreamHandlerTest, AnUnregisteredSessionGets4015AndItsBytesAreDropped) {
  ClientSession fresh(context, out, 8);
  fresh.raw_streams().set_writer(&raw);
  fresh.on_stream_data(kPrimary, "", false, false);
  std::string bytes = pattern(2000);
  fresh.on_stream_data(kStream, upload_header(bytes) + bytes, false, false);
  fresh.on_stream_data(kStream, bytes, true, false);
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4015");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-up");
  EXPECT_TRUE(raw.finished[kStream]);
  EXPECT_EQ(handler->active(), 0u);
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
}

TEST_F(FileStreamHandlerTest, AResetOrAClosedConnectionRemovesTheTemporaryFile) {
  std::string bytes = pattern(100'000);
  feed(kStream, upload_header(bytes) + bytes.substr(0, 40'000));
  EXPECT_EQ(files_in(blobs->temp_dir()).size(), 1u);
  session->on_stream_closed(kStream);  // RESET_STREAM
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
  EXPECT_EQ(handler->active(), 0u);

  feed(12, upload_header(bytes) + bytes.substr(0, 40'000));
  EXPECT_EQ(files_in(blobs->temp_dir()).size(), 1u);
  session.reset();  // the connection closed
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
  EXPECT_EQ(handler->active(), 0u);
  // The quota reservation went with them.
  EXPECT_EQ(storage->begin_upload(*reader, "u-alice", header(pattern(1))).ok(), true);
}

TEST_F(FileStreamHandlerTest, AConnectionRunsAtMostSixteenTransfersAtOnce) {
  std::string bytes = pattern(1000);
  for (std::int64_t i = 0; i < 16; ++i) feed(4 + 4 * i, upload_header(bytes) + bytes.substr(0, 10));
  EXPECT_TRUE(out.sent.empty());
  feed(4 + 4 * 16, upload_header(bytes, "m-17"));
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4291");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-17");
  EXPECT_EQ(handler->active(), 16u);
}

TEST_F(FileStreamHandlerTest, ADownloadIsPacedOnTheSendQueue) {
  std::string bytes = pattern(350'000);
  std::string file_id = upload(bytes, kStream);
  out.sent.clear();
  raw.queued = 0;

  feed(16, download_header(file_id), true);
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.field(0, "type"), "RECEIPT");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-down");
  EXPECT_EQ(out.payload_field(0, "file_name"), "notes.txt");
  EXPECT_EQ(out.payload_field(0, "mime_type"), "text/plain");
  EXPECT_EQ(out.payload_field(0, "uploader"), "u-alice");
  // One window (100,000 bytes) went out; the rest waits for acknowledgements.
  EXPECT_LE(raw.written[16].size(), 100'000u + 65'536u);
  EXPECT_LT(raw.written[16].size(), bytes.size());
  EXPECT_FALSE(raw.finished[16]);
  while (!raw.finished[16]) {
    raw.queued = 0;  // the peer acknowledged everything
    ASSERT_GT(timer.run(*session), 0u);
  }
  EXPECT_EQ(raw.written[16], bytes);
  EXPECT_EQ(handler->active(), 0u);
}

TEST_F(FileStreamHandlerTest, DownloadsAreForTheUploaderAndNameAnExistingFile) {
  std::string file_id = upload(pattern(10), kStream);
  out.sent.clear();
  session->set_registered("u-bob", "d-1", std::time(nullptr) + 3600);
  feed(16, download_header(file_id), true);
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4031");
  EXPECT_EQ(out.payload_field(0, "target_message_id"), "m-down");
  EXPECT_TRUE(raw.written[16].empty());

  feed(20, download_header("missing"), true);
  EXPECT_EQ(out.payload_field(1, "code"), "4045");
  feed(24, core::encode_frame(R"({"file_transfer":"download","url":"qsip://elsewhere/files/)" + file_id + R"("})"),
       true);
  EXPECT_EQ(out.payload_field(2, "code"), "4045");
  EXPECT_EQ(out.payload_field(2, "detail"), "url: names server elsewhere, not qsip-server");
}

namespace {
class ShortIdleTimeout : public FileStreamHandlerTest {
 protected:
  static FilesSettings settings() {
    FilesSettings s;
    s.idle_timeout = 1ms;
    return s;
  }
  ShortIdleTimeout() : FileStreamHandlerTest(settings()) {}
};
}  // namespace

TEST_F(ShortIdleTimeout, AnUploadThatStopsIsAbandoned) {
  std::string bytes = pattern(10'000);
  feed(kStream, upload_header(bytes) + bytes.substr(0, 100));
  EXPECT_EQ(files_in(blobs->temp_dir()).size(), 1u);
  std::this_thread::sleep_for(5ms);
  timer.run(*session);
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.payload_field(0, "code"), "4081");
  EXPECT_TRUE(raw.finished[kStream]);
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
}

TEST_F(ShortIdleTimeout, ADownloadThePeerDoesNotReadIsReset) {
  std::string bytes = pattern(300'000);
  feed(kStream, upload_header(bytes) + bytes, true);
  writer->flush();
  timer.run(*session, false);
  std::string file_id = out.payload_field(0, "file_id");
  raw.queued = 0;
  feed(16, download_header(file_id), true);
  std::this_thread::sleep_for(5ms);
  for (int i = 0; i < 3 && handler->active(); ++i) timer.run(*session);  // the queue never drains
  EXPECT_EQ(raw.resets.count(16), 1u);
  EXPECT_EQ(handler->active(), 0u);
}
