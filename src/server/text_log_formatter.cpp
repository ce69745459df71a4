#include "server/text_log_formatter.hpp"

#include <array>

#include "core/json_writer.hpp"
#include "server/log_fields.hpp"
#include "server/log_timestamp.hpp"

namespace qsip::server {
namespace {

constexpr std::array<std::string_view, 7> kLevelNames = {"TRACE", "DEBUG", "INFO ", "WARN ",
                                                         "ERROR", "CRIT ", "OFF  "};

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ' || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

// The message is free text, but a newline in it would forge a second line.
void append_message(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
}

}  // namespace

void TextLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  std::string_view payload(msg.payload.data(), msg.payload.size());
  line_.clear();
  append_log_timestamp(line_, msg.time);
  line_ += ' ';
  line_ += kLevelNames[static_cast<std::size_t>(msg.level) % kLevelNames.size()];
  line_ += ' ';
  append_message(line_, log_payload_message(payload));
  for_each_log_field(payload, [this](const DecodedLogField& field) {
    line_ += ' ';
    line_ += field.key;
    line_ += '=';
    if (needs_quotes(field.value)) {
      core::append_json_string(line_, field.value);
    } else {
      line_ += field.value;
    }
  });
  line_ += '\n';
  dest.append(line_.data(), line_.data() + line_.size());
}

std::unique_ptr<spdlog::formatter> TextLogFormatter::clone() const { return std::make_unique<TextLogFormatter>(); }

}  // namespace qsip::server
