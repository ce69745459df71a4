#include "json_line.hpp"

#include <simdjson.h>

namespace qsip::cli {

std::string one_line(const std::string& json) {
  std::string line(json.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), line.data(), length)) return json;
  line.resize(length);
  return line;
}

}  // namespace qsip::cli
