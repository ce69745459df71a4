// The HTTP download endpoint in-process: the bytes for the uploader, the
// draft's codes as JSON errors for everyone else.
#include "server/files/files_http_server.hpp"

#include <future>

#include "files_fixture.hpp"
#include "http_fetch.hpp"
#include "jwt_test_keys.hpp"

using namespace qsip;
using namespace qsip::server;
using namespace qsip::server::testing;

namespace {

class FilesHttpServerTest : public FilesFixture {
 protected:
  FilesHttpServerTest() {
    load_test_key(keys, dir.path());
    auto& s = make_storage();
    bytes = pattern(700'000);
    auto up = header(bytes, "Résumé \"final\".pdf");
    auto upload = s.begin_upload(*reader, "u-alice", up);
    upload.value()->append(bytes);
    std::promise<FileRecord> done;
    auto recorded = done.get_future();
    s.finish_upload(std::move(upload.value()), 0, [&](core::Outcome<FileRecord> o) { done.set_value(o.value()); });
    file = recorded.get();
    tokens = std::make_unique<BearerTokenCheck>(keys, BearerSettings{});
    http = std::make_unique<FilesHttpServer>(s, *tokens,
                                             std::make_unique<store::SqliteDatabase>(db_path, store::SyncPolicy::kNormal));
    auto error = http->start(ListenAddress{"127.0.0.1", 0, AF_INET});
    EXPECT_FALSE(error) << *error;
  }
  std::string url(const std::string& file_id) {
    return "http://127.0.0.1:" + std::to_string(http->address().port) + "/files/" + file_id;
  }
  std::string bearer(const std::string& user) { return "Authorization: Bearer " + token_for(keys, user); }

  JwtKeys keys;
  std::string bytes;
  FileRecord file;
  std::unique_ptr<BearerTokenCheck> tokens;
  std::unique_ptr<FilesHttpServer> http;
};

std::string json_member(const std::string& body, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(body)[key].get(value)) return {};
  if (value.is_string()) return std::string(std::string_view(value));
  return simdjson::to_string(value);
}

}  // namespace

TEST_F(FilesHttpServerTest, TheUploaderGetsTheBytes) {
  auto r = http_fetch(url(file.file_id), {bearer("u-alice")});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, bytes);
  EXPECT_EQ(r.headers["content-type"], "application/pdf");
  EXPECT_EQ(r.headers["content-length"], std::to_string(bytes.size()));
  EXPECT_EQ(r.headers["etag"], "\"" + file.sha256 + "\"");
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(r.headers["content-disposition"],
            "attachment; filename=\"R__sum__ _final_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf");

  auto head = http_fetch(url(file.file_id), {bearer("u-alice")}, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(FilesHttpServerTest, EveryoneElseGetsTheDraftsCode) {
  auto other = http_fetch(url(file.file_id), {bearer("u-bob")});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(json_member(other.body, "code"), "4031");
  EXPECT_EQ(json_member(other.body, "reason"), "Forbidden");

  auto anonymous = http_fetch(url(file.file_id));
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(json_member(anonymous.body, "code"), "4011");
  EXPECT_EQ(anonymous.headers["www-authenticate"], "Bearer realm=\"qsip\"");

  auto forged = http_fetch(url(file.file_id), {"Authorization: Bearer x.y.z"});
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(json_member(forged.body, "code"), "4013");

  auto expired = http_fetch(url(file.file_id), {"Authorization: Bearer " + token_for(keys, "u-alice", -120)});
  EXPECT_EQ(json_member(expired.body, "code"), "4012");

  EXPECT_EQ(http_fetch(url("no-such-file"), {bearer("u-alice")}).status, 404);
  EXPECT_EQ(http_fetch(url(file.file_id + "/x"), {bearer("u-alice")}).status, 404);
  EXPECT_EQ(http_fetch("http://127.0.0.1:" + std::to_string(http->address().port) + "/", {bearer("u-alice")}).status, 404);
  auto post = http_fetch(url(file.file_id), {bearer("u-alice")}, "DELETE");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers["allow"], "GET, HEAD");
}
