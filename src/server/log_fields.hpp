// Structured log events: a message plus key/value fields. The fields travel
// through spdlog inside the payload, after a U+001F separator, so that every
// sink and formatter sees them and plain spdlog calls keep working; the text
// and JSON formatters decode them.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace qsip::server {

// One field. Numbers and booleans stay typed so JSON lines carry them unquoted.
class LogField {
 public:
  LogField(std::string_view key, std::string_view value) : key_(key), value_(value), quoted_(true) {}
  LogField(std::string_view key, const char* value) : LogField(key, std::string_view(value)) {}
  LogField(std::string_view key, const std::string& value) : LogField(key, std::string_view(value)) {}
  LogField(std::string_view key, bool value) : key_(key), value_(value ? "true" : "false"), quoted_(false) {}
  LogField(std::string_view key, int value) : LogField(key, static_cast<long long>(value)) {}
  LogField(std::string_view key, unsigned value) : LogField(key, static_cast<unsigned long long>(value)) {}
  LogField(std::string_view key, long value) : LogField(key, static_cast<long long>(value)) {}
  LogField(std::string_view key, unsigned long value) : LogField(key, static_cast<unsigned long long>(value)) {}
  LogField(std::string_view key, long long value) : key_(key), value_(std::to_string(value)), quoted_(false) {}
  LogField(std::string_view key, unsigned long long value)
      : key_(key), value_(std::to_string(value)), quoted_(false) {}
  LogField(std::string_view key, double value);

  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  bool quoted() const { return quoted_; }

 private:
  std::string_view key_;
  std::string value_;
  bool quoted_;  // false: a JSON number or boolean literal
};

// Logs `message` with `fields` at `level`; nothing is formatted when the
// level is disabled.
void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<LogField> fields = {});

// Decoding, for formatters: the message part of a payload, and its fields in order.
struct DecodedLogField {
  std::string_view key;
  std::string_view value;
  bool quoted;  // false only when `value` is a valid JSON number or boolean
};
std::string_view log_payload_message(std::string_view payload);

template <typename Visit>
void for_each_log_field(std::string_view payload, Visit&& visit);

namespace log_encoding {
inline constexpr char kFieldSeparator = '\x1f';  // before each field
inline constexpr char kValueSeparator = '\x1e';  // between key and value
// Splits the next field off `rest`; false when there is none.
bool next_field(std::string_view& rest, DecodedLogField& field);
}  // namespace log_encoding

template <typename Visit>
void for_each_log_field(std::string_view payload, Visit&& visit) {
  auto start = payload.find(log_encoding::kFieldSeparator);
  if (start == std::string_view::npos) return;
  std::string_view rest = payload.substr(start);
  DecodedLogField field;
  while (log_encoding::next_field(rest, field)) visit(field);
}

}  // namespace qsip::server
