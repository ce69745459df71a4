#include "core/string_formats.hpp"

#include "core/wire_limits.hpp"

namespace qsip::core {
namespace {
bool digit(char c) { return c >= '0' && c <= '9'; }
int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }
}  // namespace

bool is_valid_id(std::string_view s) { return s.size() >= kMinIdBytes && s.size() <= kMaxIdBytes; }

bool is_valid_timestamp(std::string_view s) {
  // 0123456789012345678
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() < 20 || s.back() != 'Z') return false;
  static constexpr std::size_t kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (std::size_t i : kDigits)
    if (!digit(s[i])) return false;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  int month = two(s, 5), day = two(s, 8), hour = two(s, 11), minute = two(s, 14), second = two(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  std::string_view rest = s.substr(19, s.size() - 20);  // between seconds and Z
  if (rest.empty()) return true;
  if (rest.size() < 2 || rest[0] != '.') return false;
  for (std::size_t i = 1; i < rest.size(); ++i)
    if (!digit(rest[i])) return false;
  return true;
}

}  // namespace qsip::core
