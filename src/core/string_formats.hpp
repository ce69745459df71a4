// String formats of wire profile section 6, written once: the validator calls
// these, and the JSON Schema writer emits the equivalent patterns.
#pragma once

#include <string_view>

namespace qsip::core {

// Opaque identifier: 1 to 256 bytes.
bool is_valid_id(std::string_view s);

// ISO 8601 in UTC with a trailing Z: YYYY-MM-DDTHH:MM:SS[.fraction]Z with
// month 01-12, day 01-31, hour 00-23, minute 00-59, second 00-60.
bool is_valid_timestamp(std::string_view s);

// The same rule as a regular expression, for the JSON Schemas.
inline constexpr std::string_view kTimestampPattern =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?Z$";
inline constexpr std::string_view kCustomTypePattern =
    "^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+\\.[A-Za-z_][A-Za-z0-9_]*$";

}  // namespace qsip::core
