#include "core/json_path.hpp"

#include <algorithm>

namespace qsip::core {

std::string JsonPath::str() const {
  std::string out;
  std::size_t n = std::min(size_, segments_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = segments_[i];
    if (s.is_index) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    } else {
      if (!out.empty()) out += '.';
      out += s.name;
    }
  }
  if (out.empty()) out = "message";
  return out;
}

}  // namespace qsip::core
