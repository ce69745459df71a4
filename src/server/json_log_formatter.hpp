// spdlog formatter that writes each record as one JSON object on one line:
// {"ts":...,"level":...,"logger":...,"msg":...,<fields>}. Strings are
// escaped and invalid UTF-8 is replaced, so every line parses.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace qsip::server {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  std::string line_;  // reused; spdlog calls a sink's formatter under the sink's lock
};

// Appends `s` as a JSON string literal; bytes that are not UTF-8 become U+FFFD.
void append_json_text(std::string& out, std::string_view s);

}  // namespace qsip::server
