// The process logger: one spdlog logger writing to stderr (where systemd
// and container runtimes collect it), as text or JSON lines.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "server/config.hpp"

namespace qsip::server {

// The formatter for a log format; sinks own their own copy.
std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format);

// A logger named `name` writing to stderr with the configured format and level.
// Warnings and worse are flushed at once, so they survive a crash.
std::shared_ptr<spdlog::logger> make_logger(const Config::Log& settings, const std::string& name = "qsipd");

// A logger with the configured format and level writing to `sink`; for tests.
std::shared_ptr<spdlog::logger> make_logger(const Config::Log& settings, spdlog::sink_ptr sink,
                                            const std::string& name = "qsipd");

}  // namespace qsip::server
