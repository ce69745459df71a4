// qsipd: the QSIP server process. Parses the command line and runs the
// chosen subcommand; all the work is in qsip_server_shell.
#include <cstdio>
#include <exception>
#include <variant>

#include "server/command_line.hpp"
#include "server/operator/operator_commands.hpp"
#include "server/serving/serve_command.hpp"
#include "server/signals.hpp"

int main(int argc, char** argv) {
  using namespace qsip::server;
  // Before any thread exists, so that every thread inherits the mask.
  block_termination_signals();

  auto parsed = parse_command_line(argc, argv);
  if (auto* done = std::get_if<CommandLineExit>(&parsed)) {
    std::fputs(done->out.c_str(), stdout);
    std::fputs(done->err.c_str(), stderr);
    return done->code;
  }
  const auto& invocation = std::get<Invocation>(parsed);
  try {
    switch (invocation.command) {
      case Command::serve:
        return run_serve_command(invocation.config);
      default:
        return run_operator_command(invocation);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qsipd: fatal: %s\n", e.what());
    return kExitStartFailure;
  }
  return kExitStartFailure;
}
