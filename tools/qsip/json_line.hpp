// The CLI prints each message as one JSON line (so that tools can read its
// output line by line); a relayed envelope keeps the sender's own layout,
// which may span several lines.
#pragma once

#include <string>

namespace qsip::cli {

// `json` without insignificant whitespace (unchanged when it is not valid JSON).
std::string one_line(const std::string& json);

}  // namespace qsip::cli
