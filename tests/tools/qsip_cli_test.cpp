// The qsip CLI's offline commands, run as the real binary.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/child_process.hpp"
#include "server/temp_dir.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run_qsip(std::vector<std::string> args) {
  args.insert(args.begin(), std::string(QSIP_BINARY_DIR) + "/bin/qsip");
  qsip::test::ChildProcess p(args);
  auto status = p.wait_exit(30s);
  return {status.value_or(-1), p.stdout_text(), p.stderr_text()};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

const fs::path kCorpus = fs::path(QSIP_SOURCE_DIR) / "tests" / "corpus";

}  // namespace

TEST(QsipValidate, ExitsZeroWhenEveryFileIsValid) {
  auto r = run_qsip({"validate", (kCorpus / "valid" / "05.01-REGISTER.json").string(),
                 (kCorpus / "valid" / "05.09-MESSAGE-text.json").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(QsipValidate, PrintsTheWireErrorOfEachInvalidFileAsOneJsonLine) {
  qsip::test::TempDir dir;
  auto big = dir.path() / "big.json";
  std::ofstream(big) << "{\"x\":\"" << std::string(70000, 'a') << "\"}";
  auto r = run_qsip({"validate", (kCorpus / "valid" / "05.01-REGISTER.json").string(),
                 (kCorpus / "invalid" / "4003-envelope-qsip_version-1.1.json").string(), big.string()});
  EXPECT_EQ(r.status, 1);
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2u) << r.out;
  simdjson::dom::parser parser;
  auto first = parser.parse(out[0]);
  ASSERT_FALSE(first.error());
  EXPECT_EQ(std::string_view(first["type"]), "ERROR");
  EXPECT_EQ(int64_t(first["payload"]["code"]), 4003);
  EXPECT_EQ(std::string_view(first["payload"]["reason"]), "UnsupportedQsipVersion");
  auto second = parser.parse(out[1]);
  ASSERT_FALSE(second.error());
  EXPECT_EQ(int64_t(second["payload"]["code"]), 4004);
}

TEST(QsipSchema, PrintsEachTypesSchemaAndRefusesUnknownTypes) {
  auto r = run_qsip({"schema", "MESSAGE"});
  EXPECT_EQ(r.status, 0);
  std::ifstream committed(fs::path(QSIP_SOURCE_DIR) / "docs" / "schemas" / "MESSAGE.schema.json");
  std::stringstream text;
  text << committed.rdbuf();
  EXPECT_EQ(r.out, text.str());
  EXPECT_EQ(run_qsip({"schema", "NOPE"}).status, 2);
  EXPECT_EQ(lines(run_qsip({"schema", "--list"}).out).size(), 48u);
}
