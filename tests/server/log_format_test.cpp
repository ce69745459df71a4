#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "server/log_fields.hpp"
#include "server/logging.hpp"

namespace qsip::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CapturedLogger {
  explicit CapturedLogger(LogFormat format) {
    Config::Log settings;
    settings.format = format;
    settings.level = spdlog::level::trace;
    logger = make_logger(settings, std::make_shared<spdlog::sinks::ostream_sink_st>(stream), "test");
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(stream.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  std::ostringstream stream;
  std::shared_ptr<spdlog::logger> logger;
};

std::string_view get_string(simdjson::dom::element object, const char* key) {
  std::string_view value;
  EXPECT_EQ(object[key].get(value), simdjson::SUCCESS) << key;
  return value;
}

TEST(JsonLogLines, EachRecordIsOneValidJsonObjectWithItsFields) {
  CapturedLogger log(LogFormat::json);
  log_event(*log.logger, spdlog::level::info, "listening",
            {{"address", "[::]:4433"}, {"port", 4433}, {"ratio", 0.5}, {"ready", true}, {"big", 18446744073709551615ULL},
             {"negative", -3}});
  log.logger->warn("plain spdlog call {} {}", 1, "two");
  ASSERT_EQ(log.lines().size(), 2U);

  simdjson::dom::parser parser;
  simdjson::dom::element first;
  ASSERT_EQ(parser.parse(log.lines()[0]).get(first), simdjson::SUCCESS) << log.lines()[0];
  EXPECT_EQ(get_string(first, "level"), "info");
  EXPECT_EQ(get_string(first, "logger"), "test");
  EXPECT_EQ(get_string(first, "msg"), "listening");
  EXPECT_EQ(get_string(first, "address"), "[::]:4433");
  std::string_view ts = get_string(first, "ts");
  EXPECT_EQ(ts.size(), 27U) << ts;  // 2024-05-01T12:00:00.123456Z
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(uint64_t(first["port"]), 4433U);
  EXPECT_EQ(double(first["ratio"]), 0.5);
  EXPECT_EQ(bool(first["ready"]), true);
  EXPECT_EQ(uint64_t(first["big"]), 18446744073709551615ULL);
  EXPECT_EQ(int64_t(first["negative"]), -3);

  simdjson::dom::element second;
  ASSERT_EQ(parser.parse(log.lines()[1]).get(second), simdjson::SUCCESS);
  EXPECT_EQ(get_string(second, "level"), "warn");
  EXPECT_EQ(get_string(second, "msg"), "plain spdlog call 1 two");
}

TEST(JsonLogLines, HostileTextStaysInsideItsString) {
  CapturedLogger log(LogFormat::json);
  std::string nasty = "quote\" backslash\\ newline\n tab\t nul";
  nasty += '\0';
  nasty += " ctrl\x01 latin1\xE9 cut\xE2\x82 surrogate\xED\xA0\x80 euro\xE2\x82\xAC";
  log_event(*log.logger, spdlog::level::err, nasty, {{"peer", nasty}, {"msg", "shadow"}, {"ts", "shadow"}});
  // A message that imitates the field encoding, with a raw value that is not a literal.
  log.logger->info(std::string("forged\x1frkey\x1e}{\"x\":1"));
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 2U) << "a newline in a message must not split the record";
  simdjson::dom::parser parser;
  for (const auto& line : lines) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
  }
  simdjson::dom::element first = parser.parse(lines[0]);
  std::string_view msg = get_string(first, "msg");
  EXPECT_THAT(std::string(msg), HasSubstr("quote\" backslash\\ newline\n tab\t nul"));
  EXPECT_THAT(std::string(msg), HasSubstr("latin1\xEF\xBF\xBD"));
  EXPECT_THAT(std::string(msg), HasSubstr("euro\xE2\x82\xAC"));
  EXPECT_EQ(get_string(first, "peer"), msg);
  EXPECT_EQ(get_string(first, "field_msg"), "shadow");
  EXPECT_EQ(get_string(first, "field_ts"), "shadow");

  simdjson::dom::element second = parser.parse(lines[1]);
  EXPECT_EQ(get_string(second, "key"), "}{\"x\":1");
}

TEST(TextLogLines, ShowFieldsAsKeyValuePairsOnOneLine) {
  CapturedLogger log(LogFormat::text);
  log_event(*log.logger, spdlog::level::info, "TLS certificate",
            {{"cert", "/data/tls-cert.pem"}, {"origin", "generated self-signed"}, {"port", 9090}, {"empty", ""}});
  log_event(*log.logger, spdlog::level::warn, "two\nlines", {{"v", "a\nb"}});
  auto lines = log.lines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_THAT(lines[0], HasSubstr(" INFO  TLS certificate cert=/data/tls-cert.pem origin=\"generated self-signed\" "
                                  "port=9090 empty=\"\""));
  EXPECT_THAT(lines[1], HasSubstr("WARN  two\\nlines v=\"a\\nb\""));
  EXPECT_THAT(lines[0], Not(HasSubstr("\x1f")));
}

TEST(LogLevels, DisabledLevelsAreNotWritten) {
  CapturedLogger log(LogFormat::json);
  log.logger->set_level(spdlog::level::warn);
  log_event(*log.logger, spdlog::level::info, "hidden", {{"k", 1}});
  log_event(*log.logger, spdlog::level::err, "shown");
  ASSERT_EQ(log.lines().size(), 1U);
  EXPECT_THAT(log.lines()[0], HasSubstr("\"level\":\"error\""));
}

}  // namespace
}  // namespace qsip::server
