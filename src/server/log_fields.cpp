#include "server/log_fields.hpp"

#include <charconv>
#include <cmath>

namespace qsip::server {
namespace {

// Separators inside keys or values would split the field wrongly.
void append_clean(std::string& out, std::string_view s) {
  for (char c : s) {
    out += (c == log_encoding::kFieldSeparator || c == log_encoding::kValueSeparator) ? '?' : c;
  }
}

bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

LogField::LogField(std::string_view key, double value) : key_(key), quoted_(false) {
  if (!std::isfinite(value)) {  // JSON has no NaN or infinity: keep them readable as strings
    value_ = std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
    quoted_ = true;
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  value_.assign(buf, end);
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<LogField> fields) {
  if (!logger.should_log(level)) return;
  std::string payload;
  payload.reserve(message.size() + fields.size() * 24);
  append_clean(payload, message);
  for (const auto& f : fields) {
    payload += log_encoding::kFieldSeparator;
    payload += f.quoted() ? 's' : 'r';
    append_clean(payload, f.key());
    payload += log_encoding::kValueSeparator;
    append_clean(payload, f.value());
  }
  logger.log(level, spdlog::string_view_t(payload.data(), payload.size()));
}

std::string_view log_payload_message(std::string_view payload) {
  return payload.substr(0, payload.find(log_encoding::kFieldSeparator));
}

namespace log_encoding {

bool next_field(std::string_view& rest, DecodedLogField& field) {
  if (rest.empty() || rest.front() != kFieldSeparator) return false;
  rest.remove_prefix(1);
  auto end = rest.find(kFieldSeparator);
  std::string_view item = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  char kind = item.empty() ? 's' : item.front();
  if (!item.empty()) item.remove_prefix(1);
  auto sep = item.find(kValueSeparator);
  field.key = item.substr(0, sep);
  field.value = sep == std::string_view::npos ? std::string_view() : item.substr(sep + 1);
  // A raw value is written into JSON unquoted; accept it only if it is a
  // literal, so a payload that merely looks encoded cannot break the line.
  field.quoted = !(kind == 'r' && (field.value == "true" || field.value == "false" || is_json_number(field.value)));
  return true;
}

}  // namespace log_encoding
}  // namespace qsip::server
