#include "server/command_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "server/temp_dir.hpp"

namespace qsip::server {
namespace {

using ::testing::HasSubstr;

Config parse_ok(const std::vector<std::string>& args) {
  auto outcome = parse_command_line(args);
  if (auto* exit = std::get_if<CommandLineExit>(&outcome)) {
    ADD_FAILURE() << "exit " << exit->code << ": " << exit->err;
    return {};
  }
  return std::get<Invocation>(outcome).config;
}

CommandLineExit parse_exit(const std::vector<std::string>& args) {
  auto outcome = parse_command_line(args);
  if (!std::holds_alternative<CommandLineExit>(outcome)) {
    ADD_FAILURE() << "expected the command line to end the process";
    return {};
  }
  return std::get<CommandLineExit>(outcome);
}

std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& text) {
  auto path = dir.path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(CommandLine, NoArgumentsServesWithTheDefaults) {
  auto outcome = parse_command_line(std::vector<std::string>{});
  ASSERT_TRUE(std::holds_alternative<Invocation>(outcome));
  const auto& invocation = std::get<Invocation>(outcome);
  EXPECT_EQ(invocation.command, Command::serve);
  EXPECT_EQ(invocation.config.admin.listen.to_string(), "127.0.0.1:9090");
  EXPECT_EQ(invocation.config.server.data_dir, "./data");
}

TEST(CommandLine, EveryFlagSetsItsField) {
  Config c = parse_ok({"--data-dir", "/tmp/q", "--listen", "127.0.0.1:1", "--listen", "[::1]:2",
                       "--admin-listen", "[::1]:0", "--log-format", "json", "--log-level", "warn", "--workers", "3",
                       "--server-id", "srv", "--node-id", "n2", "--cert", "c.pem", "--key", "k.pem"});
  EXPECT_EQ(c.server.data_dir, "/tmp/q");
  ASSERT_EQ(c.server.listen.size(), 2U);
  EXPECT_EQ(c.server.listen[0].to_string(), "127.0.0.1:1");
  EXPECT_EQ(c.server.listen[1].to_string(), "[::1]:2");
  EXPECT_EQ(c.admin.listen.to_string(), "[::1]:0");
  EXPECT_EQ(c.log.format, LogFormat::json);
  EXPECT_EQ(c.log.level, spdlog::level::warn);
  EXPECT_EQ(c.server.workers, 3U);
  EXPECT_EQ(c.server.server_id, "srv");
  EXPECT_EQ(c.server.node_id, "n2");
  EXPECT_EQ(c.tls.cert_file, "c.pem");
  EXPECT_EQ(c.tls.key_file, "k.pem");
}

TEST(CommandLine, FlagsOverrideTheConfigFile) {
  test::TempDir dir;
  auto file = write_file(dir, "qsipd.toml", R"(
[server]
data_dir = "/from/file"
node_id = "file-node"
listen = ["127.0.0.1:7000"]
[log]
level = "error"
[quic]
max_connections = 12
)");
  Config c = parse_ok({"--config", file, "--data-dir", "/from/flag", "--listen", "127.0.0.1:7001"});
  EXPECT_EQ(c.server.data_dir, "/from/flag");
  EXPECT_EQ(c.server.node_id, "file-node");
  ASSERT_EQ(c.server.listen.size(), 1U);
  EXPECT_EQ(c.server.listen[0].to_string(), "127.0.0.1:7001");
  EXPECT_EQ(c.log.level, spdlog::level::err);
  EXPECT_EQ(c.quic.max_connections, 12U);
}

TEST(CommandLine, AcceptsFlagsAfterTheServeSubcommand) {
  Config c = parse_ok({"serve", "--data-dir", "/tmp/s", "--admin-listen", "127.0.0.1:0"});
  EXPECT_EQ(c.server.data_dir, "/tmp/s");
  EXPECT_EQ(c.admin.listen.port, 0);
  c = parse_ok({"--data-dir", "/tmp/t", "serve"});
  EXPECT_EQ(c.server.data_dir, "/tmp/t");
}

TEST(CommandLine, ABadAddressIsAUsageError) {
  auto exit = parse_exit({"--listen", "localhost:4433"});
  EXPECT_EQ(exit.code, 2);
  EXPECT_THAT(exit.err, HasSubstr("--listen localhost:4433"));
  exit = parse_exit({"--admin-listen", "127.0.0.1:99999"});
  EXPECT_EQ(exit.code, 2);
  EXPECT_THAT(exit.err, HasSubstr("--admin-listen"));
}

TEST(CommandLine, BadValuesAndUnknownFlagsAreUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--log-format", "xml"}, {"--log-level", "chatty"}, {"--workers", "two"},
        {"--workers", "-1"}, {"--no-such-flag"}, {"--data-dir"}, {"frobnicate"}, {"--cert", "c.pem"}}) {
    auto exit = parse_exit(args);
    EXPECT_EQ(exit.code, 2) << args[0];
    EXPECT_FALSE(exit.err.empty()) << args[0];
  }
}

TEST(CommandLine, AnUnknownKeyInTheConfigFileIsAUsageErrorNamingIt) {
  test::TempDir dir;
  auto file = write_file(dir, "qsipd.toml", "[admin]\nlisten = \"127.0.0.1:1\"\nport = 3\n");
  auto exit = parse_exit({"--config", file});
  EXPECT_EQ(exit.code, 2);
  EXPECT_THAT(exit.err, HasSubstr("admin.port"));
  exit = parse_exit({"--config", (dir.path() / "missing.toml").string()});
  EXPECT_EQ(exit.code, 2);
  EXPECT_THAT(exit.err, HasSubstr("missing.toml"));
}

TEST(CommandLine, HelpDocumentsEveryFlag) {
  auto exit = parse_exit({"--help"});
  EXPECT_EQ(exit.code, 0);
  for (const char* flag : {"--config", "--data-dir", "--listen", "--admin-listen", "--log-format", "--log-level",
                           "--workers", "--server-id", "--node-id", "--cert", "--key", "serve"}) {
    EXPECT_THAT(exit.out, HasSubstr(flag));
  }
}

TEST(CommandLine, VersionPrintsTheVersion) {
  auto exit = parse_exit({"--version"});
  EXPECT_EQ(exit.code, 0);
  EXPECT_THAT(exit.out, HasSubstr("qsipd"));
}

TEST(CommandLine, AuditVerifyAndExportTakeTheirFilters) {
  auto verify = parse_command_line(std::vector<std::string>{"audit", "verify", "--data-dir", "/tmp/d"});
  ASSERT_TRUE(std::holds_alternative<Invocation>(verify));
  EXPECT_EQ(std::get<Invocation>(verify).command, Command::audit_verify);
  EXPECT_EQ(std::get<Invocation>(verify).config.server.data_dir, "/tmp/d");
  auto exp = parse_command_line(std::vector<std::string>{
      "audit", "export", "--since", "2026-01-01T00:00:00Z", "--until", "2026-02-01T00:00:00Z", "--actor", "u-a",
      "--type", "login_failure", "--resource-type", "file", "--resource-id", "f1", "--output", "/tmp/x.jsonl"});
  ASSERT_TRUE(std::holds_alternative<Invocation>(exp));
  const auto& a = std::get<Invocation>(exp).args;
  EXPECT_EQ(std::get<Invocation>(exp).command, Command::audit_export);
  EXPECT_EQ(a.since, "2026-01-01T00:00:00Z");
  EXPECT_EQ(a.until_time, "2026-02-01T00:00:00Z");
  EXPECT_EQ(a.actor, "u-a");
  EXPECT_EQ(a.event_type, "login_failure");
  EXPECT_EQ(a.resource_type, "file");
  EXPECT_EQ(a.resource_id, "f1");
  EXPECT_EQ(a.output, "/tmp/x.jsonl");
  auto bare = parse_command_line(std::vector<std::string>{"audit"});
  ASSERT_TRUE(std::holds_alternative<CommandLineExit>(bare));
  EXPECT_EQ(std::get<CommandLineExit>(bare).code, kExitUsage);
}

}  // namespace
}  // namespace qsip::server
