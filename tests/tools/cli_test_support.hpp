// What the CLI tests share: running the real `qsip` binary against a test
// qsipd and reading the JSON lines it prints.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "running_qsipd.hpp"

namespace qsip::test {

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

// The non-empty lines of `text`.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

inline std::size_t line_count(const std::string& text) { return lines(text).size(); }

// A member of a JSON line by path ("payload.role"): strings as they are,
// anything else as JSON; "" when absent or not JSON.
inline std::string field(const std::string& json_line, std::string_view path) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(json_line).get(e)) return {};
  while (!path.empty()) {
    auto dot = path.find('.');
    if (e[path.substr(0, dot)].get(e)) return {};
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  std::string_view s;
  if (!e.get(s)) return std::string(s);
  return simdjson::to_string(e);
}

// The line of `text` whose `path` is `value`, or "".
inline std::string line_where(const std::string& text, std::string_view path, const std::string& value) {
  for (const auto& line : lines(text))
    if (field(line, path) == value) return line;
  return {};
}

// `qsip --server <the test server> --insecure --token TOKEN [--device DEVICE] ARGS...`
inline std::vector<std::string> qsip_argv(std::uint16_t port, const std::string& token, std::vector<std::string> args,
                                          const std::string& device = {}) {
  std::vector<std::string> out = {std::string(QSIP_BINARY_DIR) + "/bin/qsip", "--server",
                                  "127.0.0.1:" + std::to_string(port), "--insecure", "--token", token};
  if (!device.empty()) out.insert(out.end(), {"--device", device});
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

// Runs a command to its end (at most a minute) and collects what it printed.
inline CliRun run_cli(std::vector<std::string> argv) {
  ChildProcess p(std::move(argv));
  auto status = p.wait_exit(std::chrono::seconds(60));
  return {status.value_or(-1), p.stdout_text(), p.stderr_text()};
}

}  // namespace qsip::test
