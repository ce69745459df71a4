// docs/schemas/ is generated from the type table (scripts/generate-schemas);
// this keeps the committed files and the validator from drifting apart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/message_type.hpp"
#include "core/schema_writer.hpp"

using namespace qsip::core;
namespace fs = std::filesystem;

namespace {
const fs::path kSchemas = fs::path(QSIP_SOURCE_DIR) / "docs" / "schemas";
std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST(SchemaFiles, MatchTheTypeTable) {
  EXPECT_EQ(read(kSchemas / "envelope.schema.json"), envelope_schema())
      << "docs/schemas is stale: run scripts/generate-schemas";
  for (const auto& spec : registered_types())
    EXPECT_EQ(read(kSchemas / (spec.name + ".schema.json")), payload_schema(spec))
        << spec.name << ": docs/schemas is stale: run scripts/generate-schemas";
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kSchemas)) files += entry.path().extension() == ".json";
  EXPECT_EQ(files, kRegisteredTypeCount + 1);
}
