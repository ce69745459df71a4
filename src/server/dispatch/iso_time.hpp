// Wire timestamps (wire profile 6: YYYY-MM-DDTHH:MM:SS[.f]Z) to Unix
// milliseconds, for the times the server acts on (custom status expiry,
// history since a time, scheduled messages).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qsip::server {

// nullopt when `text` is not such a timestamp. A leap second (:60) reads
// as the next second; fractions beyond milliseconds are truncated.
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text);

// The current time in Unix milliseconds.
std::int64_t unix_now_ms();

}  // namespace qsip::server
