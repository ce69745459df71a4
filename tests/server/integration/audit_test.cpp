// The audit log end to end (draft 5.21, docs/audit.md): a real qsipd records
// logins and file downloads, `qsipd audit verify` passes on that log and
// fails naming the record once the sqlite3 shell edits, deletes or inserts a
// row; `qsipd audit export` filters; admins submit and query AUDIT_EVENTs
// over QUIC and others get 4014.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/json_writer.hpp"
#include "qsip/client.hpp"
#include "running_qsipd.hpp"
#include "server/child_process.hpp"
#include "server/temp_dir.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::ChildProcess;
using qsip::test::envelope;
using qsip::test::qsipd_path;
using qsip::test::RunningQsipd;
namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> argv) {
  ChildProcess p(argv);
  auto status = p.wait_exit(30s);
  return {status ? *status : -1, p.stdout_text(), p.stderr_text()};
}

Run qsipd(const RunningQsipd& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {qsipd_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--data-dir");
  argv.push_back(server.data_dir());
  return run(argv);
}

Run sqlite(const RunningQsipd& server, const std::string& sql) {
  return run({"/usr/bin/sqlite3", (fs::path(server.data_dir()) / "qsip.db").string(), sql});
}

std::size_t http_discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

long http_get(const std::string& url, const std::string& authorization) {
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: " + authorization).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &http_discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// One started server for the whole suite: admins u-root, HTTP downloads on.
class Audit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new RunningQsipd({}, "[auth]\nserver_admins = [\"u-root\"]\n[files]\nhttp_listen = \"127.0.0.1:0\"\n");
    auto line = server_->process().wait_for_stderr_line(
        [](std::string_view l) { return l.find("files HTTP endpoint listening") != std::string_view::npos; }, 5s);
    ASSERT_TRUE(line) << server_->process().stderr_text();
    simdjson::dom::parser parser;
    std::uint64_t port = 0;
    ASSERT_FALSE(parser.parse(*line)["port"].get(port));
    http_port_ = static_cast<std::uint16_t>(port);
  }
  static void TearDownTestSuite() {
    server_->process().send_signal(SIGTERM);
    EXPECT_EQ(server_->process().wait_exit(20s), 0);
    std::string log = server_->process().stderr_text();
    EXPECT_EQ(log.find("Sanitizer"), std::string::npos) << log;
    delete server_;
    server_ = nullptr;
  }
  std::string write(const std::string& name, const std::string& bytes) {
    auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  static Message audit_request(Client& c, const std::string& user, const std::string& payload) {
    return c.request(envelope("AUDIT_EVENT", user, "d1", payload)).get();
  }
  qsip::test::TempDir dir_;
  static RunningQsipd* server_;
  static std::uint16_t http_port_;
};
RunningQsipd* Audit::server_ = nullptr;
std::uint16_t Audit::http_port_ = 0;

// Waits until `qsipd audit export --type T` lists at least n events.
std::vector<std::string> exported(const RunningQsipd& server, std::vector<std::string> filters, std::size_t at_least) {
  std::vector<std::string> out;
  auto until = std::chrono::steady_clock::now() + 10s;
  do {
    std::vector<std::string> args = {"audit", "export"};
    args.insert(args.end(), filters.begin(), filters.end());
    auto r = qsipd(server, args);
    EXPECT_EQ(r.status, 0) << r.err;
    out = lines(r.out);
    if (out.size() >= at_least) break;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < until);
  return out;
}

}  // namespace

// The tampering test runs last in this file (it repairs nothing); under ctest
// each test has a server of its own.
TEST_F(Audit, A1_LoginsAndDownloadsAreRecordedVerifiedAndExported) {
  auto alice = server_->connect_registered("u-alice-audit", "d1");
  auto up = alice->upload_file(write("a.txt", "audit me"), "text/plain");
  ASSERT_TRUE(up.ok()) << up.answer->json();
  ASSERT_TRUE(alice->download_file(up.url, (dir_.path() / "back").string()).ok());
  EXPECT_EQ(http_get("http://127.0.0.1:" + std::to_string(http_port_) + "/files/" + up.file_id,
                     "Bearer " + server_->token("u-alice-audit")),
            200);
  // A failed login too.
  auto stranger = server_->connect();
  auto refused = stranger->request(envelope("REGISTER", "u-mallory", "d1",
                                            R"({"auth_token":"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.","device_info":{}})"))
                     .get();
  EXPECT_EQ(refused.error_code(), 4013) << refused.json();

  auto downloads = exported(*server_, {"--type", "file_downloaded", "--resource-id", up.file_id}, 2);
  ASSERT_EQ(downloads.size(), 2u);
  simdjson::dom::parser parser;
  std::vector<std::string> via;
  for (const auto& line : downloads) {
    auto doc = parser.parse(line);
    EXPECT_EQ(std::string_view(doc["actor_user_id"]), "u-alice-audit") << line;
    EXPECT_EQ(std::string_view(doc["target_resource_type"]), "file");
    EXPECT_EQ(std::string_view(doc["ip_address"]), "127.0.0.1");
    EXPECT_EQ(std::string_view(doc["hash"]).size(), 64u);
    EXPECT_GT(std::int64_t(doc["id"]), 0);
    EXPECT_EQ(std::string_view(doc["timestamp"]).back(), 'Z');
    via.emplace_back(std::string_view(doc["details"]["via"]));
  }
  EXPECT_EQ(via, (std::vector<std::string>{"quic", "http"}));
  auto logins = exported(*server_, {"--actor", "u-alice-audit", "--type", "login_success"}, 1);
  EXPECT_GE(logins.size(), 1u);
  auto failures = exported(*server_, {"--type", "login_failure", "--actor", "u-mallory"}, 1);
  EXPECT_EQ(failures.size(), 1u);
  // Time filters: nothing before 2000, nothing after 2100.
  auto old = qsipd(*server_, {"audit", "export", "--until", "2000-01-01T00:00:00Z"});
  EXPECT_EQ(old.status, 0);
  EXPECT_TRUE(old.out.empty()) << old.out;
  auto bad = qsipd(*server_, {"audit", "export", "--since", "yesterday"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--since"), std::string::npos);
  // Every export is itself on record, and into a file when asked.
  auto file = (dir_.path() / "export.jsonl").string();
  auto to_file = qsipd(*server_, {"audit", "export", "--type", "data_export", "--output", file});
  ASSERT_EQ(to_file.status, 0) << to_file.err;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_GE(lines(text.str()).size(), 4u);  // the exports above
  EXPECT_NE(text.str().find(R"("command":"audit export")"), std::string::npos);

  auto verify = qsipd(*server_, {"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  EXPECT_EQ(verify.out.rfind("ok: ", 0), 0u) << verify.out;
}

TEST_F(Audit, A2_OperatorCommandsAreAdminActions) {
  ASSERT_EQ(qsipd(*server_, {"user", "add", "u-audited", "--display-name", "Audited"}).status, 0);
  ASSERT_EQ(qsipd(*server_, {"user", "suspend", "u-audited"}).status, 0);
  ASSERT_EQ(qsipd(*server_, {"token", "issue", "--user", "u-audited"}).status, 0);
  auto actions = exported(*server_, {"--type", "admin_action"}, 3);
  std::string all;
  for (const auto& line : actions) all += line + "\n";
  EXPECT_NE(all.find(R"("command":"user add")"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("command":"user suspend")"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("command":"token issue")"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("target_resource_id":"u-audited")"), std::string::npos) << all;
  // Appended from another process while qsipd appends: still one chain.
  auto client = server_->connect_registered("u-chain", "d1");
  EXPECT_EQ(qsipd(*server_, {"audit", "verify"}).status, 0);
}

TEST_F(Audit, A3_AdminsSubmitAndQueryOverQuicOthersAre4014) {
  auto root = server_->connect_registered("u-root", "d1");
  auto user = server_->connect_registered("u-plain", "d1");

  auto refused = audit_request(*user, "u-plain", R"({"event_type":"password_changed"})");
  EXPECT_EQ(refused.error_code(), 4014) << refused.json();
  refused = audit_request(*user, "u-plain", R"({"action":"query"})");
  EXPECT_EQ(refused.error_code(), 4014) << refused.json();

  auto ok = audit_request(*root, "u-root",
                          R"({"event_type":"password_changed","actor_user_id":"u-someone","target_resource_type":"user",)"
                          R"("target_resource_id":"u-someone","user_agent":"admin-console/1.0","details":{"via":"console"}})");
  ASSERT_EQ(ok.type(), "RECEIPT") << ok.json();
  EXPECT_EQ(ok.payload_string("status"), "ok");
  EXPECT_GT(ok.payload_int("audit_id").value_or(0), 0);

  auto missing = audit_request(*root, "u-root", R"({"actor_user_id":"u-x"})");
  EXPECT_EQ(missing.error_code(), 4001);
  EXPECT_NE(missing.payload_string("detail")->find("payload.event_type"), std::string::npos) << missing.json();
  auto too_long = audit_request(*root, "u-root", R"({"event_type":")" + std::string(200, 'x') + "\"}");
  EXPECT_EQ(too_long.error_code(), 4001);
  auto huge = audit_request(*root, "u-root", R"({"event_type":"x","details":{"blob":")" + std::string(9000, 'y') + "\"}}");
  EXPECT_EQ(huge.error_code(), 4004) << huge.json();

  // Query by type: the submitted event, with its submitter.
  auto answer = audit_request(*root, "u-root", R"({"action":"query","event_type":"password_changed"})");
  ASSERT_EQ(answer.type(), "AUDIT_EVENT") << answer.json();
  simdjson::dom::parser parser;
  auto events = parser.parse(*answer.payload_json("events")).get_array();
  ASSERT_EQ(events.size(), 1u) << answer.json();
  auto event = events.at(0);
  EXPECT_EQ(std::string_view(event["submitted_by"]), "u-root/d1");
  EXPECT_EQ(std::string_view(event["actor_user_id"]), "u-someone");
  EXPECT_EQ(std::string_view(event["user_agent"]), "admin-console/1.0");
  EXPECT_EQ(std::string_view(event["details"]["via"]), "console");
  EXPECT_EQ(answer.payload_json("next_cursor"), "null");

  // Pages: two at a time, oldest first, by cursor.
  std::vector<std::int64_t> ids;
  std::string cursor;
  for (int page = 0; page < 50; ++page) {
    std::string payload = R"({"action":"query","limit":2)" + (cursor.empty() ? "" : R"(,"cursor":")" + cursor + "\"") + "}";
    auto a = audit_request(*root, "u-root", payload);
    ASSERT_EQ(a.type(), "AUDIT_EVENT") << a.json();
    simdjson::dom::parser p;
    for (auto e : p.parse(*a.payload_json("events")).get_array()) ids.push_back(std::int64_t(e["id"]));
    auto next = a.payload_string("next_cursor");
    if (!next) break;
    cursor = std::string(*next);
  }
  ASSERT_GT(ids.size(), 4u);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[i - 1] + 1);
  auto bad_limit = audit_request(*root, "u-root", R"({"action":"query","limit":100000})");
  EXPECT_EQ(bad_limit.error_code(), 4001);
  auto bad_cursor = audit_request(*root, "u-root", R"({"action":"query","cursor":"abc"})");
  EXPECT_EQ(bad_cursor.error_code(), 4001);
  // Filtered by actor and time.
  auto by_actor = audit_request(*root, "u-root",
                                R"({"action":"query","actor_user_id":"u-someone","since":"2020-01-01T00:00:00Z"})");
  simdjson::dom::parser p2;
  EXPECT_EQ(p2.parse(*by_actor.payload_json("events")).get_array().size(), 1u) << by_actor.json();
}

TEST_F(Audit, Z_VerifyFindsAnEditedADeletedAndAnInsertedRow) {
  // Records of its own (ctest runs each test in a fresh server): logins.
  auto zed = server_->connect_registered("u-zed", "d1");
  auto zed2 = server_->connect_registered("u-zed", "d2");
  auto logins = exported(*server_, {"--actor", "u-zed", "--type", "login_success"}, 2);
  ASSERT_EQ(logins.size(), 2u);
  simdjson::dom::parser parser;
  const std::int64_t id = parser.parse(logins[0])["id"].get_int64();
  auto before = qsipd(*server_, {"audit", "verify"});
  ASSERT_EQ(before.status, 0) << before.out << before.err;
  // Edited: the login now names someone else.
  auto edit = sqlite(*server_, "UPDATE audit_events SET actor_user_id = 'u-nobody' WHERE id = " + std::to_string(id) + ";");
  ASSERT_EQ(edit.status, 0) << edit.err;
  auto edited = qsipd(*server_, {"audit", "verify"});
  EXPECT_EQ(edited.status, 1);
  EXPECT_NE(edited.out.find("record " + std::to_string(id) + ": changed"), std::string::npos)
      << edited.out << edited.err;
  // Removed and inserted rows, each in a log of its own (a fresh data dir
  // with operator events only), so each damage is seen alone.
  auto clean_dir = (dir_.path() / "clean").string();
  fs::create_directories(clean_dir);
  // A clean log of its own: a fresh data dir with operator events only.
  auto make_log = [&](const std::string& dir) {
    for (const char* u : {"u-a", "u-b", "u-c", "u-d"})
      EXPECT_EQ(run({qsipd_path(), "user", "add", u, "--data-dir", dir}).status, 0);
    auto ok = run({qsipd_path(), "audit", "verify", "--data-dir", dir});
    EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
    EXPECT_EQ(ok.out, "ok: 4 records\n");
  };
  auto db_of = [](const std::string& dir) { return (fs::path(dir) / "qsip.db").string(); };
  make_log(clean_dir);
  ASSERT_EQ(run({"/usr/bin/sqlite3", db_of(clean_dir), "DELETE FROM audit_events WHERE id = 2;"}).status, 0);
  auto removed = run({qsipd_path(), "audit", "verify", "--data-dir", clean_dir});
  EXPECT_EQ(removed.status, 1);
  EXPECT_NE(removed.out.find("record 2: removed"), std::string::npos) << removed.out;

  auto inserted_dir = (dir_.path() / "inserted").string();
  fs::create_directories(inserted_dir);
  make_log(inserted_dir);
  ASSERT_EQ(run({"/usr/bin/sqlite3", db_of(inserted_dir),
                 "INSERT INTO audit_events(time, event_type, status, hash) VALUES(1, 'login_success', 'success', '');"})
                .status,
            0);
  auto added = run({qsipd_path(), "audit", "verify", "--data-dir", inserted_dir});
  EXPECT_EQ(added.status, 1);
  EXPECT_NE(added.out.find("record 5: inserted"), std::string::npos) << added.out;
}
