// `qsip validate FILE...`: no network. Exit 0 when every file holds a valid
// message; otherwise exit 1 and print, for each invalid file, the ERROR
// message it would get on the wire, as one JSON line. With --report, one
// verdict line per file instead ({"file","valid","code","detail"}), which the
// schema-agreement test compares with ajv's verdicts.
#include <array>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/message_validator.hpp"
#include "core/uuid.hpp"
#include "core/wire_limits.hpp"

namespace qsip::cli {
namespace {

struct Verdict {
  bool ok = true;
  core::Failure failure;
};

Verdict validate_file(const std::string& path, core::MessageValidator& validator) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {false, core::Failure{core::ErrorCode::kMalformedPayload, "file: cannot be read", {}, {}}};
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto outcome = validator.validate(bytes);
  if (outcome) return {};
  return {false, outcome.failure()};
}

std::string random_message_id() {
  static std::random_device device;
  std::array<std::uint8_t, 16> bytes{};
  for (auto& b : bytes) b = static_cast<std::uint8_t>(device());
  return core::uuid_v4(bytes);
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("validate", "check files of QSIP messages offline (exit 1 if any is invalid)");
  auto files = std::make_shared<std::vector<std::string>>();
  auto report = std::make_shared<bool>(false);
  cmd->add_option("FILE", *files, "files, each holding one QSIP message (JSON)")->required();
  cmd->add_flag("--report", *report, "print one verdict line per file instead of ERROR messages");
  cmd->callback([files, report, &exit_code] {
    core::MessageValidator validator;
    for (const auto& path : *files) {
      Verdict v = validate_file(path, validator);
      if (!v.ok) exit_code = 1;
      if (*report) {
        std::string line;
        core::JsonWriter w(line);
        w.begin_object().member("file", path).member("valid", v.ok);
        w.key("code");
        if (v.ok) w.null(); else w.value(static_cast<std::int64_t>(core::to_number(v.failure.code)));
        if (!v.ok) w.member("detail", v.failure.detail);
        w.end_object();
        std::cout << line << '\n';
      } else if (!v.ok) {
        std::string id = random_message_id();
        std::string now = core::format_timestamp(std::chrono::system_clock::now());
        core::EnvelopeFields fields;
        fields.message_id = id;
        fields.timestamp = now;
        fields.from_user_id = "qsip-validate";
        fields.from_device_id = "cli";
        std::cout << core::build_error(v.failure, fields) << '\n';
      }
    }
  });
}

}  // namespace qsip::cli
