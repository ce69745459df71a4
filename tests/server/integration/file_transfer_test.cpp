// File transfer end to end (issue 5, docs/files.md): the real qsipd over
// real QUIC, with libqsip's upload_file/download_file, a raw QUIC client
// for the misbehaving cases, HTTP downloads with libcurl, and the CLI.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#include "core/frame_decoder.hpp"
#include "qsip/client.hpp"
#include "raw_quic_client.hpp"
#include "running_qsipd.hpp"
#include "server/child_process.hpp"
#include "server/temp_dir.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::RawQuicClient;
using qsip::test::RunningQsipd;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxFileSize = 6 * 1024 * 1024;
constexpr std::uint64_t kQuota = 12 * 1024 * 1024;

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

std::string pattern(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 7;
  for (auto& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One HTTP GET with an optional Authorization header.
struct HttpAnswer {
  long status = 0;
  std::string body;
};
HttpAnswer http_get(const std::string& url, const std::string& authorization = {}) {
  HttpAnswer out;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  if (!authorization.empty()) headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* u) -> size_t {
    static_cast<std::string*>(u)->append(d, s * n);
    return s * n;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return out;
}

std::string upload_header(std::uint64_t size, const std::string& sha256, const std::string& id = "m-up") {
  return core::encode_frame(R"({"file_transfer":"upload","message_id":")" + id +
                            R"(","file_name":"blob.bin","file_size":)" + std::to_string(size) +
                            R"(,"mime_type":"application/octet-stream","sha256":")" + sha256 + R"("})");
}

class FileTransfer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new RunningQsipd({}, "[files]\nmax_file_size = " + std::to_string(kMaxFileSize) +
                                       "\nuser_quota_bytes = " + std::to_string(kQuota) +
                                       "\nhttp_listen = \"127.0.0.1:0\"\n");
    auto line = server_->process().wait_for_stderr_line(
        [](std::string_view l) { return l.find("files HTTP endpoint listening") != std::string_view::npos; }, 5s);
    ASSERT_TRUE(line) << server_->process().stderr_text();
    simdjson::dom::parser parser;
    std::uint64_t port = 0;
    ASSERT_FALSE(parser.parse(*line)["port"].get(port));
    http_port_ = static_cast<std::uint16_t>(port);
  }
  static void TearDownTestSuite() {
    // A clean stop, and nothing the sanitizers saw in the server (leaks included).
    server_->process().send_signal(SIGTERM);
    EXPECT_EQ(server_->process().wait_exit(20s), 0);
    std::string log = server_->process().stderr_text();
    EXPECT_EQ(log.find("Sanitizer"), std::string::npos) << log;
    delete server_;
    server_ = nullptr;
  }
  // A user of this test only.
  std::string user(const std::string& name) const {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  std::string write(const std::string& name, const std::string& bytes) {
    auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  static std::string http_url(const std::string& file_id) {
    return "http://127.0.0.1:" + std::to_string(http_port_) + "/files/" + file_id;
  }
  static fs::path temp_dir() { return fs::path(server_->data_dir()) / "files" / "tmp"; }
  static bool no_temp_files() { return fs::is_empty(temp_dir()); }

  qsip::test::TempDir dir_;
  static RunningQsipd* server_;
  static std::uint16_t http_port_;
};
RunningQsipd* FileTransfer::server_ = nullptr;
std::uint16_t FileTransfer::http_port_ = 0;

}  // namespace

TEST_F(FileTransfer, AnUploadComesBackByteIdenticalOverQuicAndHttp) {
  auto alice = user("alice");
  auto client = server_->connect_registered(alice, "d1");
  std::string bytes = pattern(4 * 1024 * 1024 + 123, 1);
  std::uint64_t progress_total = 0, progress_done = 0;
  auto up = client->upload_file(write("report.pdf", bytes), "application/pdf", [&](std::uint64_t done, std::uint64_t total) {
    progress_done = done;
    progress_total = total;
  });
  ASSERT_TRUE(up.ok()) << up.answer->json();
  EXPECT_EQ(up.url, "qsip://qsip-server/files/" + up.file_id);
  EXPECT_EQ(up.file_size, bytes.size());
  EXPECT_EQ(up.file_name, "report.pdf");
  EXPECT_EQ(up.mime_type, "application/pdf");
  EXPECT_EQ(progress_total, bytes.size());
  EXPECT_EQ(progress_done, bytes.size());
  EXPECT_TRUE(fs::exists(fs::path(server_->data_dir()) / "files" / up.sha256.substr(0, 2) / up.sha256));
  EXPECT_TRUE(no_temp_files());

  auto out = (dir_.path() / "by-url").string();
  auto down = client->download_file(up.url, out);
  ASSERT_TRUE(down.ok()) << down.answer->json();
  EXPECT_EQ(read_file(out), bytes);
  EXPECT_FALSE(fs::exists(out + ".part"));
  EXPECT_EQ(down.sha256, up.sha256);

  auto by_id = (dir_.path() / "by-id").string();
  ASSERT_TRUE(client->download_file(up.file_id, by_id).ok());
  EXPECT_EQ(read_file(by_id), bytes);

  // Another device of the same user, over HTTP with its token.
  auto http = http_get(http_url(up.file_id), "Bearer " + server_->token(alice));
  EXPECT_EQ(http.status, 200);
  EXPECT_TRUE(http.body == bytes) << http.body.size() << " bytes";
  // The connection is still good for messages.
  EXPECT_TRUE(client->info().connected);
}

TEST_F(FileTransfer, AnEmptyFileIsAFileToo) {
  auto client = server_->connect_registered(user("alice"), "d1");
  auto up = client->upload_file(write("empty.txt", ""), "text/plain");
  ASSERT_TRUE(up.ok()) << up.answer->json();
  auto out = (dir_.path() / "empty-back").string();
  ASSERT_TRUE(client->download_file(up.url, out).ok());
  EXPECT_EQ(fs::file_size(out), 0u);
}

TEST_F(FileTransfer, AWrongHashIsRefusedNamingTheField) {
  auto alice = user("alice");
  RawQuicClient raw(server_->port());
  ASSERT_EQ(raw.register_as(alice, "d1", server_->token(alice))->type(), "RECEIPT");
  std::string bytes = pattern(300'000, 2);
  auto stream = raw.open_stream();
  raw.send(stream, upload_header(bytes.size(), std::string(64, 'a')) + bytes, true);
  auto answer = raw.await_message(stream, 10s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->error_code(), 4001);
  EXPECT_EQ(answer->payload_string("detail")->substr(0, 7), "sha256:");
  EXPECT_EQ(answer->payload_string("target_message_id"), "m-up");
  EXPECT_TRUE(raw.run_until([&] { return raw.finished(stream); }, 5s));
  EXPECT_TRUE(eventually(no_temp_files));
}

TEST_F(FileTransfer, MoreBytesThanDeclaredAreRefused) {
  auto alice = user("alice");
  RawQuicClient raw(server_->port());
  ASSERT_EQ(raw.register_as(alice, "d1", server_->token(alice))->type(), "RECEIPT");
  std::string bytes = pattern(10'000, 3);
  auto stream = raw.open_stream();
  raw.send(stream, upload_header(bytes.size(), std::string(64, 'b')) + bytes + "more", true);
  auto answer = raw.await_message(stream, 10s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->error_code(), 4001);
  EXPECT_EQ(answer->payload_string("detail"), "file_size: more than the 10000 bytes declared were sent");
  EXPECT_TRUE(eventually(no_temp_files));
  EXPECT_FALSE(raw.closed());
}

TEST_F(FileTransfer, AFileOverTheMaximumIsRefusedAtItsHeader) {
  auto client = server_->connect_registered(user("alice"), "d1");
  auto started = std::chrono::steady_clock::now();
  auto up = client->upload_file(write("big.bin", pattern(kMaxFileSize + 1, 4)), "application/octet-stream");
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.answer->error_code(), 4004);
  EXPECT_EQ(up.answer->payload_string("detail"),
            "file_size: " + std::to_string(kMaxFileSize + 1) + " bytes, more than the maximum " +
                std::to_string(kMaxFileSize));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_TRUE(client->upload_file(write("ok.bin", pattern(1000, 4)), "application/octet-stream").ok());
}

TEST_F(FileTransfer, TheQuotaIsEnforced) {
  auto client = server_->connect_registered(user("carol"), "d1");
  auto five = write("five.bin", pattern(5 * 1024 * 1024, 5));
  ASSERT_TRUE(client->upload_file(five, "application/octet-stream").ok());
  ASSERT_TRUE(client->upload_file(five, "application/octet-stream").ok());  // 10 of 12 MiB
  auto third = client->upload_file(five, "application/octet-stream");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.answer->error_code(), 4031);
  EXPECT_NE(third.answer->payload_string("detail")->find("quota"), std::string_view::npos);
  EXPECT_TRUE(client->upload_file(write("small.bin", pattern(1024 * 1024, 6)), "application/octet-stream").ok());
  // Another user has a quota of their own.
  auto dave = server_->connect_registered(user("dave"), "d1");
  EXPECT_TRUE(dave->upload_file(five, "application/octet-stream").ok());
}

TEST_F(FileTransfer, OnlyTheUploaderMayDownloadOverQuicAndHttp) {
  auto alice = user("alice"), bob = user("bob");
  auto a = server_->connect_registered(alice, "d1");
  auto up = a->upload_file(write("private.txt", "for alice only"), "text/plain");
  ASSERT_TRUE(up.ok());

  auto b = server_->connect_registered(bob, "d1");
  auto refused = b->download_file(up.url, (dir_.path() / "stolen").string());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.answer->error_code(), 4031);
  EXPECT_FALSE(fs::exists(dir_.path() / "stolen"));
  EXPECT_FALSE(fs::exists(dir_.path() / "stolen.part"));
  auto missing = b->download_file("qsip://qsip-server/files/no-such-file", (dir_.path() / "none").string());
  EXPECT_EQ(missing.answer->error_code(), 4045);

  EXPECT_EQ(http_get(http_url(up.file_id), "Bearer " + server_->token(bob)).status, 403);
  EXPECT_EQ(http_get(http_url(up.file_id)).status, 401);
  EXPECT_EQ(http_get(http_url(up.file_id), "Bearer not-a-token").status, 401);
  auto mine = http_get(http_url(up.file_id), "Bearer " + server_->token(alice));
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body, "for alice only");
}

TEST_F(FileTransfer, WhoeverCanSeeAMessageReferencingTheFileMayDownloadIt) {
  auto alice = user("alice"), bob = user("bob"), eve = user("eve");
  auto a = server_->connect_registered(alice, "d1");
  auto b = server_->connect_registered(bob, "d1");
  auto e = server_->connect_registered(eve, "d1");
  auto up = a->upload_file(write("shared.txt", "for bob too"), "text/plain");
  ASSERT_TRUE(up.ok());
  EXPECT_FALSE(b->download_file(up.url, (dir_.path() / "early").string()).ok());  // no message yet
  const std::string message_id = "m-file-" + alice;
  auto sent = a->request(qsip::test::envelope(
                             "MESSAGE", alice, "d1",
                             R"({"message_type":"file","content":{"file_name":"shared.txt","file_size":11,)"
                             R"("mime_type":"text/plain","url":")" + up.url + R"("}})",
                             message_id, bob))
                  .get();
  ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  auto got = b->download_file(up.url, (dir_.path() / "shared").string());
  ASSERT_TRUE(got.ok()) << (got.answer ? got.answer->json() : "");
  EXPECT_EQ(http_get(http_url(up.file_id), "Bearer " + server_->token(bob)).status, 200);
  // Not a party of that conversation: still refused.
  EXPECT_EQ(e->download_file(up.url, (dir_.path() / "eve").string()).answer->error_code(), 4031);
  // Once the message is deleted, the reference is gone.
  auto deleted = a->request(qsip::test::envelope("MESSAGE_ACTION", alice, "d1",
                                                 R"({"action":"delete","target_message_id":")" + message_id + R"("})", {},
                                                 bob))
                     .get();
  ASSERT_EQ(deleted.type(), "RECEIPT");
  EXPECT_EQ(http_get(http_url(up.file_id), "Bearer " + server_->token(bob)).status, 403);
}

TEST_F(FileTransfer, AStreamBeforeRegisterIsRefused) {
  RawQuicClient raw(server_->port());
  auto primary = raw.open_stream();
  raw.send(primary, core::encode_frame(qsip::test::envelope("PRESENCE", "u", "d", R"({"status":"away"})")));
  ASSERT_EQ(raw.await_message(primary, 10s)->error_code(), 4015);
  std::string bytes = pattern(50'000, 7);
  auto stream = raw.open_stream();
  raw.send(stream, upload_header(bytes.size(), std::string(64, 'c')) + bytes, true);
  auto answer = raw.await_message(stream, 10s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->error_code(), 4015);
  EXPECT_EQ(answer->payload_string("target_message_id"), "m-up");
  EXPECT_TRUE(no_temp_files());

  // libqsip says so too.
  auto client = server_->connect();
  auto up = client->upload_file(write("x.bin", bytes), "application/octet-stream");
  EXPECT_EQ(up.answer->error_code(), 4015);
}

TEST_F(FileTransfer, AResetOrAClosedConnectionMidUploadLeavesNoTemporaryFile) {
  auto alice = user("alice");
  std::string bytes = pattern(2 * 1024 * 1024, 8);
  {
    RawQuicClient raw(server_->port());
    ASSERT_EQ(raw.register_as(alice, "d1", server_->token(alice))->type(), "RECEIPT");
    auto stream = raw.open_stream();
    // Declaring the largest size: a reservation left behind would show below.
    raw.send(stream, upload_header(kMaxFileSize, std::string(64, 'd')) + bytes.substr(0, 300'000));
    ASSERT_TRUE(raw.run_until([] { return !no_temp_files(); }, 10s)) << "no upload under way";
    raw.reset(stream);
    EXPECT_TRUE(raw.run_until(no_temp_files, 10s));
    EXPECT_FALSE(raw.closed());

    // The same again, then the connection closes.
    auto second = raw.open_stream();
    raw.send(second, upload_header(kMaxFileSize, std::string(64, 'd')) + bytes.substr(0, 300'000));
    ASSERT_TRUE(raw.run_until([] { return !no_temp_files(); }, 10s));
    raw.close();
  }
  EXPECT_TRUE(eventually(no_temp_files));
  // The abandoned uploads hold no quota: 2 x 3.5 MiB fit in 12 MiB only
  // when neither 6 MiB reservation is left.
  auto client = server_->connect_registered(alice, "d2");
  auto fits = write("fits.bin", pattern(7 * 512 * 1024, 9));
  EXPECT_TRUE(client->upload_file(fits, "application/octet-stream").ok());
  EXPECT_TRUE(client->upload_file(fits, "application/octet-stream").ok());
}

TEST_F(FileTransfer, TheCliUploadsAndDownloadsWithAProgressBar) {
  auto erin = user("erin");
  std::string token = server_->token(erin);
  std::string bytes = pattern(1024 * 1024, 10);
  auto path = write("cli.bin", bytes);
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {std::string(QSIP_BINARY_DIR) + "/bin/qsip", "--server",
                                     "127.0.0.1:" + std::to_string(server_->port()), "--insecure", "--token", token};
    argv.insert(argv.end(), args.begin(), args.end());
    qsip::test::ChildProcess p(argv);
    auto status = p.wait_exit(60s);
    return std::tuple{status.value_or(-1), p.stdout_text(), p.stderr_text()};
  };
  auto [up_status, up_out, up_err] = run({"upload", path, "--mime", "application/x-test"});
  ASSERT_EQ(up_status, 0) << up_err;
  std::string url = up_out.substr(0, up_out.find('\n'));
  EXPECT_EQ(url.substr(0, 25), "qsip://qsip-server/files/");
  EXPECT_NE(up_err.find("upload ["), std::string::npos) << up_err;
  EXPECT_NE(up_err.find("100%"), std::string::npos) << up_err;

  auto out = (dir_.path() / "cli-back.bin").string();
  auto [down_status, down_out, down_err] = run({"download", url, "--out", out});
  ASSERT_EQ(down_status, 0) << down_err;
  EXPECT_EQ(read_file(out), bytes);
  EXPECT_NE(down_err.find("download ["), std::string::npos) << down_err;

  auto [bad_status, bad_out, bad_err] = run({"download", "no-such-file", "--out", out + ".2"});
  EXPECT_EQ(bad_status, 1);
  EXPECT_NE(bad_err.find("4045"), std::string::npos) << bad_err;
}
