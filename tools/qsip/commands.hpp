// The subcommands of the qsip CLI, each registered on the CLI11 app by its
// own file.
#pragma once

#include <CLI/CLI.hpp>

namespace qsip::cli {

// `qsip validate FILE...`: offline validation against the protocol core.
void add_validate_command(CLI::App& app, int& exit_code);
// `qsip schema [TYPE|envelope]`: prints the JSON Schema derived from the type table.
void add_schema_command(CLI::App& app, int& exit_code);

struct ConnectionOptions;
// Network commands (connection_options.hpp holds their shared options).
void add_ping_command(CLI::App& app, const ConnectionOptions& options, int& exit_code);
void add_raw_command(CLI::App& app, const ConnectionOptions& options, int& exit_code);
void add_listen_command(CLI::App& app, const ConnectionOptions& options, int& exit_code);
void add_register_command(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip upload` and `qsip download` (file_commands.cpp).
void add_file_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip send`, `history`, `search`, `react`, `edit`, `delete`, `read` (message_commands.cpp).
void add_message_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip group ...`, `qsip channel ...`, `qsip workspace ...` (group_commands.cpp,
// channel_commands.cpp, workspace_commands.cpp).
void add_group_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
void add_channel_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
void add_workspace_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip moderate mute|unmute|kick|ban|unban|delete-message|warn|suspend` (moderate_commands.cpp).
void add_moderate_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip queue enqueue|status|leave`, `qsip agent wait|accept|reject|done` (queue_commands.cpp).
void add_queue_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);
// `qsip call USER` and `qsip answer`: audio calls from WAV files (call_commands.cpp).
void add_call_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code);

}  // namespace qsip::cli
