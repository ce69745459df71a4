// `qsip listen`: connects (and registers when a token is given) and prints
// every message received as one JSON line, until --count messages or
// --duration seconds (0: until interrupted).
#include <iostream>

#include "json_line.hpp"
#include "commands.hpp"
#include "connection_options.hpp"

namespace qsip::cli {

void add_listen_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("listen", "print every message received, as JSON lines");
  auto count = std::make_shared<int>(0);
  auto duration = std::make_shared<int>(0);
  cmd->add_option("--count", *count, "stop after this many messages (0: no limit)");
  cmd->add_option("--duration", *duration, "stop after this many seconds (0: no limit)");
  cmd->callback([&options, count, duration, &exit_code] {
    auto client = connect_client(options);
    if (!client) {
      exit_code = 1;
      return;
    }
    if (!options.token.empty()) {
      auto answer = register_client(*client, options);
      std::cout << one_line(answer.json()) << std::endl;
      if (answer.is_error()) {
        exit_code = 1;
        return;
      }
    }
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(*duration);
    int seen = 0;
    while ((*count == 0 || seen < *count) && (*duration == 0 || std::chrono::steady_clock::now() < until)) {
      if (auto m = client->receive(std::chrono::milliseconds(200))) {
        std::cout << one_line(m->json()) << std::endl;
        ++seen;
      }
    }
    client->close();
  });
}

}  // namespace qsip::cli
