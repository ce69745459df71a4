#include "server/log_timestamp.hpp"

#include <fmt/format.h>

#include <ctime>

namespace qsip::server {

void append_log_timestamp(std::string& out, std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto since_epoch = time.time_since_epoch();
  auto secs = floor<seconds>(since_epoch);
  auto micros = duration_cast<microseconds>(since_epoch - secs).count();
  std::time_t t = secs.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

}  // namespace qsip::server
