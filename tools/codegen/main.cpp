// qsip-codegen: writes what is derived from the type table, for
// scripts/generate: `qsip-codegen builders` prints src/core/payload_builders.hpp,
// `qsip-codegen docs` prints docs/message-types.md.
#include <iostream>
#include <string_view>

#include "core/builder_writer.hpp"
#include "core/doc_writer.hpp"

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "builders") {
    std::cout << qsip::core::payload_builders_header();
    return 0;
  }
  if (argc == 2 && std::string_view(argv[1]) == "docs") {
    std::cout << qsip::core::message_types_markdown();
    return 0;
  }
  if (argc == 2 && std::string_view(argv[1]) == "errors") {
    std::cout << qsip::core::errors_markdown();
    return 0;
  }
  std::cerr << "usage: qsip-codegen builders|docs|errors\n";
  return 2;
}
