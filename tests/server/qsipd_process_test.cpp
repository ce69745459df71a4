// Runs the real qsipd binary: first start with a temporary data directory,
// /healthz and /metrics over HTTP, SIGHUP, and a graceful stop on SIGTERM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/child_process.hpp"
#include "server/http_get.hpp"
#include "server/temp_dir.hpp"

namespace qsip::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

const std::string kQsipd = std::string(QSIP_BINARY_DIR) + "/bin/qsipd";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A qsipd on ephemeral ports logging JSON lines, started and waited for.
class RunningQsipd {
 public:
  explicit RunningQsipd(const fs::path& data_dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kQsipd,       "--data-dir",   data_dir.string(), "--admin-listen",
                                     "127.0.0.1:0", "--listen",     "127.0.0.1:0",     "--log-format",
                                     "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(argv);
    auto line = process->wait_for_stderr_line(
        [](std::string_view l) { return l.find("\"admin endpoint listening\"") != std::string_view::npos; }, 20s);
    if (!line) {
      ADD_FAILURE() << "qsipd did not report its admin endpoint; stderr:\n" << process->stderr_text();
      return;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element record;
    if (parser.parse(*line).get(record) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << *line;
      return;
    }
    port = static_cast<unsigned>(uint64_t(record["port"]));
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }

  // Polls /healthz until it answers 200.
  bool wait_healthy(std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (http_request(url("/healthz")).status == 200) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  std::unique_ptr<ChildProcess> process;
  unsigned port = 0;
};

TEST(QsipdProcess, FirstStartServesHealthAndMetricsAndStopsOnSigterm) {
  TempDir dir;
  fs::path data = dir.path() / "data";
  RunningQsipd qsipd(data);
  ASSERT_NE(qsipd.port, 0U);
  ASSERT_TRUE(qsipd.wait_healthy(10s)) << qsipd.process->stderr_text();

  // First-start material, with private modes.
  struct stat st {};
  ASSERT_EQ(::stat(data.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700U);
  for (const char* name : {"tls-cert.pem", "tls-key.pem", "token-signing-key.pem"}) {
    EXPECT_TRUE(fs::is_regular_file(data / name)) << name;
  }
  ASSERT_EQ(::stat((data / "token-signing-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat((data / "tls-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);

  auto metrics = http_request(qsipd.url("/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE qsip_connections gauge"));
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE qsip_request_duration_seconds histogram"));
  EXPECT_EQ(http_request(qsipd.url("/nope")).status, 404);

  auto sent = std::chrono::steady_clock::now();
  qsipd.process->send_signal(SIGTERM);
  auto status = qsipd.process->wait_exit(5s);
  ASSERT_TRUE(status) << "qsipd did not exit within 5 s of SIGTERM";
  EXPECT_EQ(*status, 0) << qsipd.process->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 5s);

  // Every log line is a JSON object; the generated files were logged.
  std::istringstream lines(qsipd.process->stderr_text());
  simdjson::dom::parser parser;
  bool logged_token_key = false;
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element record;
    ASSERT_EQ(parser.parse(line).get(record), simdjson::SUCCESS) << line;
    std::string_view msg = record["msg"];
    if (msg == "token signing key") {
      logged_token_key = true;
      EXPECT_EQ(std::string_view(record["origin"]), "generated");
      EXPECT_THAT(std::string(std::string_view(record["path"])), HasSubstr("token-signing-key.pem"));
    }
  }
  EXPECT_TRUE(logged_token_key);
}

TEST(QsipdProcess, ARestartKeepsTheMaterialAndSighupDoesNotStopIt) {
  TempDir dir;
  fs::path data = dir.path() / "data";
  std::string cert, token;
  {
    RunningQsipd first(data);
    ASSERT_TRUE(first.wait_healthy(10s)) << first.process->stderr_text();
    cert = read(data / "tls-cert.pem");
    token = read(data / "token-signing-key.pem");
    first.process->send_signal(SIGINT);
    EXPECT_EQ(first.process->wait_exit(5s), std::optional<int>(0));
  }
  RunningQsipd second(data);
  ASSERT_TRUE(second.wait_healthy(10s)) << second.process->stderr_text();
  EXPECT_EQ(read(data / "tls-cert.pem"), cert);
  EXPECT_EQ(read(data / "token-signing-key.pem"), token);

  second.process->send_signal(SIGHUP);
  ASSERT_TRUE(second.process->wait_for_stderr_line(
      [](std::string_view l) { return l.find("SIGHUP") != std::string_view::npos; }, 5s));
  EXPECT_FALSE(second.process->wait_exit(200ms)) << "SIGHUP must not stop qsipd";
  EXPECT_TRUE(second.wait_healthy(2s));
  second.process->send_signal(SIGTERM);
  EXPECT_EQ(second.process->wait_exit(5s), std::optional<int>(0));
}

TEST(QsipdProcess, HelpListsEveryFlag) {
  ChildProcess help({kQsipd, "--help"});
  ASSERT_EQ(help.wait_exit(10s), std::optional<int>(0));
  std::string out = help.stdout_text();
  for (const char* flag : {"--config", "--data-dir", "--listen", "--admin-listen", "--log-format", "--log-level",
                           "--workers", "--server-id", "--node-id", "--cert", "--key", "serve"}) {
    EXPECT_THAT(out, HasSubstr(flag));
  }
}

TEST(QsipdProcess, AConfigurationErrorExitsWith2AndNamesTheKey) {
  TempDir dir;
  fs::path config = dir.path() / "qsipd.toml";
  std::ofstream(config) << "[quic]\nmax_conections = 10\n";
  ChildProcess bad({kQsipd, "--config", config.string(), "--data-dir", (dir.path() / "data").string()});
  ASSERT_EQ(bad.wait_exit(10s), std::optional<int>(2));
  EXPECT_THAT(bad.stderr_text(), HasSubstr("quic.max_conections"));
  EXPECT_FALSE(fs::exists(dir.path() / "data")) << "nothing is created before the configuration is valid";

  ChildProcess bad_flag({kQsipd, "--listen", "nowhere"});
  ASSERT_EQ(bad_flag.wait_exit(10s), std::optional<int>(2));
  EXPECT_THAT(bad_flag.stderr_text(), HasSubstr("--listen"));
}

TEST(QsipdProcess, AnAdminAddressInUseFailsTheStartWithStatus1) {
  TempDir dir;
  RunningQsipd first(dir.path() / "a");
  ASSERT_NE(first.port, 0U);
  ChildProcess second({kQsipd, "--data-dir", (dir.path() / "b").string(), "--admin-listen",
                       "127.0.0.1:" + std::to_string(first.port), "--listen", "127.0.0.1:0"});
  ASSERT_EQ(second.wait_exit(10s), std::optional<int>(1));
  EXPECT_THAT(second.stderr_text(), HasSubstr("admin endpoint"));
  first.process->send_signal(SIGTERM);
  EXPECT_EQ(first.process->wait_exit(5s), std::optional<int>(0));
}

}  // namespace
}  // namespace qsip::test
