#include "server/json_log_formatter.hpp"

#include <array>

#include "core/json_writer.hpp"
#include "server/log_fields.hpp"
#include "server/log_timestamp.hpp"

namespace qsip::server {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

constexpr std::array<std::string_view, 7> kLevelNames = {"trace", "debug", "info", "warn",
                                                         "error", "critical", "off"};

bool is_reserved(std::string_view key) { return key == "ts" || key == "level" || key == "logger" || key == "msg"; }

}  // namespace

void append_json_text(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) break;
    i += n;
  }
  if (i == s.size()) {  // the common case: valid already
    core::append_json_string(out, s);
    return;
  }
  std::string clean;
  clean.reserve(s.size() + 8);
  for (i = 0; i < s.size();) {
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      clean.append(s, i, n);
      i += n;
    }
  }
  core::append_json_string(out, clean);
}

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  std::string_view payload(msg.payload.data(), msg.payload.size());
  line_.clear();
  line_ += "{\"ts\":\"";
  append_log_timestamp(line_, msg.time);
  line_ += "\",\"level\":\"";
  line_ += kLevelNames[static_cast<std::size_t>(msg.level) % kLevelNames.size()];
  line_ += "\",\"logger\":";
  append_json_text(line_, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  line_ += ",\"msg\":";
  append_json_text(line_, log_payload_message(payload));
  for_each_log_field(payload, [this](const DecodedLogField& field) {
    line_ += ',';
    // A field named like a fixed member would make a duplicate key.
    if (is_reserved(field.key)) {
      std::string renamed = "field_" + std::string(field.key);
      append_json_text(line_, renamed);
    } else {
      append_json_text(line_, field.key);
    }
    line_ += ':';
    if (field.quoted) {
      append_json_text(line_, field.value);
    } else {
      line_ += field.value;
    }
  });
  line_ += "}\n";
  dest.append(line_.data(), line_.data() + line_.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

}  // namespace qsip::server
