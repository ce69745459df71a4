#include "server/dispatch/iso_time.hpp"

#include <chrono>

#include "core/string_formats.hpp"

namespace qsip::server {

namespace {
int digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}
}  // namespace

std::optional<std::int64_t> parse_timestamp_ms(std::string_view s) {
  if (!core::is_valid_timestamp(s)) return std::nullopt;
  using namespace std::chrono;
  year_month_day date{year(digits(s, 0, 4)), month(static_cast<unsigned>(digits(s, 5, 2))),
                      day(static_cast<unsigned>(digits(s, 8, 2)))};
  if (!date.ok()) return std::nullopt;  // 2025-02-30 passes the format, not the calendar
  std::int64_t seconds = duration_cast<std::chrono::seconds>(sys_days(date).time_since_epoch()).count() +
                         digits(s, 11, 2) * 3600 + digits(s, 14, 2) * 60 + digits(s, 17, 2);
  std::int64_t ms = 0;
  if (s[19] == '.') {
    int scale = 100;
    for (std::size_t i = 20; i < s.size() - 1 && scale > 0; ++i, scale /= 10) ms += (s[i] - '0') * scale;
  }
  return seconds * 1000 + ms;
}

std::int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace qsip::server
