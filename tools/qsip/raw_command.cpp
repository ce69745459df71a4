// `qsip raw [FILE]`: sends the envelopes read as JSON lines from FILE (or
// stdin) on the primary stream, and prints every message received as one
// JSON line, until --wait ms pass with nothing new.
#include <fstream>
#include <iostream>

#include "json_line.hpp"
#include "commands.hpp"
#include "connection_options.hpp"

namespace qsip::cli {

void add_raw_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("raw", "send JSON-line envelopes; print every message received as a JSON line");
  auto file = std::make_shared<std::string>("-");
  auto wait_ms = std::make_shared<int>(1000);
  auto do_register = std::make_shared<bool>(false);
  cmd->add_option("FILE", *file, "file of JSON lines, '-' for stdin")->capture_default_str();
  cmd->add_option("--wait", *wait_ms, "stop after this many ms without a message")->capture_default_str();
  cmd->add_flag("--register", *do_register, "send REGISTER with --token first");
  cmd->callback([&options, file, wait_ms, do_register, &exit_code] {
    auto client = connect_client(options);
    if (!client) {
      exit_code = 1;
      return;
    }
    if (*do_register) std::cout << one_line(register_client(*client, options).json()) << std::endl;
    std::ifstream in;
    std::istream* input = &std::cin;
    if (*file != "-") {
      in.open(*file);
      if (!in) {
        std::cerr << "qsip raw: cannot read " << *file << '\n';
        exit_code = 1;
        return;
      }
      input = &in;
    }
    std::string line;
    while (std::getline(*input, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      client->send(line);
    }
    while (auto m = client->receive(std::chrono::milliseconds(*wait_ms))) std::cout << one_line(m->json()) << std::endl;
    client->close();
  });
}

}  // namespace qsip::cli
