// Writes payload_builders.hpp, the typed builder of every message type, from
// the type table (run by scripts/generate; tests check the committed file).
#pragma once

#include <string>

namespace qsip::core {

std::string payload_builders_header();

}  // namespace qsip::core
