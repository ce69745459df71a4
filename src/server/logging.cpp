#include "server/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include "server/json_log_formatter.hpp"
#include "server/text_log_formatter.hpp"

namespace qsip::server {

std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format) {
  if (format == LogFormat::json) return std::make_unique<JsonLogFormatter>();
  return std::make_unique<TextLogFormatter>();
}

std::shared_ptr<spdlog::logger> make_logger(const Config::Log& settings, spdlog::sink_ptr sink,
                                            const std::string& name) {
  sink->set_formatter(make_log_formatter(settings.format));
  auto logger = std::make_shared<spdlog::logger>(name, std::move(sink));
  logger->set_level(settings.level);
  logger->flush_on(spdlog::level::warn);
  return logger;
}

std::shared_ptr<spdlog::logger> make_logger(const Config::Log& settings, const std::string& name) {
  return make_logger(settings, std::make_shared<spdlog::sinks::stderr_sink_mt>(), name);
}

}  // namespace qsip::server
