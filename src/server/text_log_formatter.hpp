// spdlog formatter for people: "<ts> <level> <msg> key=value ...", with
// values quoted (JSON-style escapes) when they hold spaces, quotes, '=' or
// control characters, so a line stays one line and splits unambiguously.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace qsip::server {

class TextLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  std::string line_;  // reused; spdlog calls a sink's formatter under the sink's lock
};

}  // namespace qsip::server
