// Writes docs/message-types.md, the human-readable reference of every type,
// from the type table (scripts/generate; tests check the committed file).
#pragma once

#include <string>

namespace qsip::core {

std::string message_types_markdown();

// docs/errors.md: the error registry as a table.
std::string errors_markdown();

}  // namespace qsip::core
