// `qsip register`: connects and sends REGISTER with --token (or QSIP_TOKEN);
// prints the answer as a JSON line; exit 1 when it is an ERROR.
#include <iostream>

#include "commands.hpp"
#include "connection_options.hpp"

namespace qsip::cli {

void add_register_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("register", "send REGISTER with --token and print the answer");
  cmd->callback([&options, &exit_code] {
    if (options.token.empty()) {
      std::cerr << "qsip register: no token (--token or QSIP_TOKEN)\n";
      exit_code = 2;
      return;
    }
    auto client = connect_client(options);
    if (!client) {
      exit_code = 1;
      return;
    }
    auto answer = register_client(*client, options);
    std::cout << answer.json() << std::endl;
    exit_code = answer.is_error() ? 1 : 0;
    client->close();
  });
}

}  // namespace qsip::cli
