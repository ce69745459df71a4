// The time of a log line: RFC 3339 in UTC with microseconds, the same in
// text and JSON lines so they sort and compare as strings.
#pragma once

#include <chrono>
#include <string>

namespace qsip::server {

// Appends e.g. "2024-05-01T12:00:00.123456Z".
void append_log_timestamp(std::string& out, std::chrono::system_clock::time_point time);

}  // namespace qsip::server
