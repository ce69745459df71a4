// The header that opens a file-transfer stream, and the file URL.
#include "server/files/transfer_header.hpp"

#include <gtest/gtest.h>

#include "server/files/file_url.hpp"

using namespace qsip::server;

namespace {

const std::string kSha = std::string(64, 'a');

std::string detail_of(std::string_view json) {
  auto parsed = parse_transfer_header(json);
  EXPECT_FALSE(parsed.ok()) << json;
  return parsed.ok() ? std::string() : parsed.failure().detail;
}

std::string upload(std::string_view members) {
  return R"({"file_transfer":"upload","message_id":"m-1",)" + std::string(members) + "}";
}

}  // namespace

TEST(TransferHeader, ParsesAnUpload) {
  auto parsed = parse_transfer_header(upload(R"("file_name":"Report 2025.pdf","file_size":1048576,)"
                                             R"("mime_type":"application/pdf","sha256":")" +
                                             std::string(64, 'A') + R"(","extra":true)"));
  ASSERT_TRUE(parsed.ok()) << parsed.failure().detail;
  auto& up = std::get<UploadHeader>(parsed.value());
  EXPECT_EQ(up.message_id, "m-1");
  EXPECT_EQ(up.file_name, "Report 2025.pdf");
  EXPECT_EQ(up.file_size, 1048576u);
  EXPECT_EQ(up.mime_type, "application/pdf");
  EXPECT_EQ(up.sha256, kSha);  // lowercased
}

TEST(TransferHeader, AZeroByteFileAndAMissingMessageIdAreFine) {
  auto parsed = parse_transfer_header(R"({"file_transfer":"upload","file_name":"empty","file_size":0,)"
                                      R"("mime_type":"text/plain; charset=utf-8","sha256":")" + kSha + R"("})");
  ASSERT_TRUE(parsed.ok()) << parsed.failure().detail;
  EXPECT_EQ(header_message_id(parsed.value()), "");
  EXPECT_EQ(std::get<UploadHeader>(parsed.value()).mime_type, "text/plain; charset=utf-8");
}

TEST(TransferHeader, NamesTheFieldOfABadUpload) {
  std::string ok_rest = R"("file_size":1,"mime_type":"text/plain","sha256":")" + kSha + R"(")";
  EXPECT_EQ(detail_of(upload(ok_rest)), "file_name: required");
  EXPECT_EQ(detail_of(upload(R"("file_name":"a/b",)" + ok_rest)).substr(0, 10), "file_name:");
  EXPECT_EQ(detail_of(upload(R"("file_name":"a\nb",)" + ok_rest)).substr(0, 10), "file_name:");
  EXPECT_EQ(detail_of(upload(R"("file_name":"",)" + ok_rest)).substr(0, 10), "file_name:");
  EXPECT_EQ(detail_of(upload(R"("file_name":")" + std::string(256, 'x') + R"(",)" + ok_rest)).substr(0, 10),
            "file_name:");

  std::string sha = R"("sha256":")" + kSha + R"(")";
  EXPECT_EQ(detail_of(upload(R"("file_name":"f","mime_type":"text/plain",)" + sha)), "file_size: required");
  for (const char* size : {"-1", "1.5", "\"12\"", "1e3", "true"})
    EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":)" + std::string(size) + R"(,"mime_type":"text/plain",)" + sha)),
              "file_size: must be a non-negative integer")
        << size;

  EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":1,)" + sha)), "mime_type: required");
  for (const char* mime : {"text", "/plain", "text/", "te xt/plain", "text/plain\\r\\nX-Evil: 1", "text/pl\\\"ain"})
    EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":1,"mime_type":")" + std::string(mime) + "\"," + sha))
                  .substr(0, 10),
              "mime_type:")
        << mime;

  EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":1,"mime_type":"text/plain")")), "sha256: required");
  EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":1,"mime_type":"text/plain","sha256":"abc")")),
            "sha256: must be 64 hex digits");
  EXPECT_EQ(detail_of(upload(R"("file_name":"f","file_size":1,"mime_type":"text/plain","sha256":")" +
                             std::string(64, 'g') + "\"")),
            "sha256: must be 64 hex digits");
}

TEST(TransferHeader, RefusesWhatIsNotAHeader) {
  EXPECT_EQ(detail_of("[1]"), "file_transfer: the header must be a JSON object");
  EXPECT_EQ(detail_of("{not json"), "file_transfer: the header must be a JSON object");
  EXPECT_EQ(detail_of(R"({"file_transfer":"delete"})"), R"(file_transfer: must be "upload" or "download")");
  EXPECT_EQ(detail_of(R"({"file_transfer":1})"), R"(file_transfer: must be "upload" or "download")");
  EXPECT_EQ(detail_of(R"({"file_transfer":"upload","message_id":""})"), "message_id: must be a string of 1 to 256 bytes");
  // The message_id is echoed even when the rest is wrong.
  auto parsed = parse_transfer_header(R"({"file_transfer":"nope","message_id":"m-9"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.failure().code, qsip::core::ErrorCode::kMalformedPayload);
  EXPECT_EQ(parsed.failure().target_message_id, "m-9");
}

TEST(TransferHeader, ParsesADownloadByIdOrUrl) {
  auto by_id = parse_transfer_header(R"({"file_transfer":"download","file_id":"f-1"})");
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(std::get<DownloadHeader>(by_id.value()).file_id, "f-1");
  EXPECT_EQ(std::get<DownloadHeader>(by_id.value()).url_server_id, "");

  auto by_url = parse_transfer_header(R"({"file_transfer":"download","url":"qsip://qsip-server/files/f-2"})");
  ASSERT_TRUE(by_url.ok());
  EXPECT_EQ(std::get<DownloadHeader>(by_url.value()).file_id, "f-2");
  EXPECT_EQ(std::get<DownloadHeader>(by_url.value()).url_server_id, "qsip-server");

  EXPECT_EQ(detail_of(R"({"file_transfer":"download"})"), "file_id: required (or url)");
  EXPECT_EQ(detail_of(R"({"file_transfer":"download","file_id":"a","url":"qsip://s/files/a"})"),
            "url: give file_id or url, not both");
  EXPECT_EQ(detail_of(R"({"file_transfer":"download","file_id":7})"), "file_id: must be a string of 1 to 256 bytes");
  EXPECT_EQ(detail_of(R"({"file_transfer":"download","url":"https://s/files/a"})"),
            "url: must be qsip://<server_id>/files/<file_id>");
}

TEST(FileUrl, RoundTripsAndRefusesOtherShapes) {
  EXPECT_EQ(file_url("qsip-server", "f-1"), "qsip://qsip-server/files/f-1");
  auto parsed = parse_file_url(file_url("s.example", "abc"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->server_id, "s.example");
  EXPECT_EQ(parsed->file_id, "abc");
  for (const char* bad : {"qsip://", "qsip:///files/a", "qsip://s/files/", "qsip://s/other/a", "qsip://s/files/a/b",
                          "http://s/files/a", "qsip://s"})
    EXPECT_FALSE(parse_file_url(bad)) << bad;
}
