// The conformance corpora (tests/corpus/): every valid file is accepted and
// every invalid file is refused with the code its name starts with.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/message_validator.hpp"

using namespace qsip::core;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".json" || ext == ".bin")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path kCorpus = fs::path(QSIP_SOURCE_DIR) / "tests" / "corpus";

}  // namespace

TEST(Corpus, EveryValidMessageIsAccepted) {
  auto files = files_in(kCorpus / "valid");
  EXPECT_GE(files.size(), 52u + 40u);
  MessageValidator validator;
  for (const auto& file : files) {
    auto out = validator.validate(read(file));
    EXPECT_TRUE(out) << file.filename() << ": " << (out ? "" : out.failure().detail);
  }
}

TEST(Corpus, EveryInvalidMessageGetsItsExpectedCode) {
  auto files = files_in(kCorpus / "invalid");
  EXPECT_GE(files.size(), 200u);
  MessageValidator validator;
  for (const auto& file : files) {
    std::string name = file.filename().string();
    ASSERT_GE(name.size(), 5u) << name;
    int expected = std::stoi(name.substr(0, 4));
    auto out = validator.validate(read(file));
    if (out) {
      ADD_FAILURE() << name << ": accepted, expected " << expected;
      continue;
    }
    EXPECT_EQ(to_number(out.failure().code), expected) << name << ": " << out.failure().detail;
    EXPECT_FALSE(out.failure().detail.empty()) << name;
  }
}
