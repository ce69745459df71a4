// qsip: command-line client for QSIP servers, and offline protocol tools.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "connection_options.hpp"

int main(int argc, char** argv) {
  CLI::App app{"qsip: command-line client for QSIP (draft-qsip-core-03) servers"};
  app.require_subcommand(1);
  int exit_code = 0;
  qsip::cli::ConnectionOptions connection;
  connection.add_to(app);
  qsip::cli::add_ping_command(app, connection, exit_code);
  qsip::cli::add_register_command(app, connection, exit_code);
  qsip::cli::add_raw_command(app, connection, exit_code);
  qsip::cli::add_listen_command(app, connection, exit_code);
  qsip::cli::add_file_commands(app, connection, exit_code);
  qsip::cli::add_message_commands(app, connection, exit_code);
  qsip::cli::add_group_commands(app, connection, exit_code);
  qsip::cli::add_channel_commands(app, connection, exit_code);
  qsip::cli::add_workspace_commands(app, connection, exit_code);
  qsip::cli::add_moderate_commands(app, connection, exit_code);
  qsip::cli::add_queue_commands(app, connection, exit_code);
  qsip::cli::add_call_commands(app, connection, exit_code);
  qsip::cli::add_validate_command(app, exit_code);
  qsip::cli::add_schema_command(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
