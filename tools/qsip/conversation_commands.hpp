// What `qsip group`, `qsip channel` and `qsip workspace` share: the
// arguments their subcommands take and a way to add one subcommand that
// builds its payload from them and sends it with request_and_print
// (cli_support.hpp): the answer as one JSON line, exit 1 on an ERROR.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connection_options.hpp"
#include "core/object_builder.hpp"

namespace qsip::cli {

struct ConversationArgs {
  std::string id;         // the group, channel or workspace
  std::string user;       // the member acted on (kick, role)
  std::string role;
  std::vector<std::string> users;  // invite
  std::string name, topic, description, visibility, workspace, cursor;
  int limit = 0;
  CLI::Option* limit_option = nullptr;
};

// Fills the payload from the arguments.
using PayloadMaker = std::function<void(const ConversationArgs&, core::ObjectBuilder&)>;

// Adds `qsip <parent> <name>`; `setup` declares its arguments on the
// subcommand; on run, `make` builds the payload of a `type` request.
void add_conversation_subcommand(CLI::App& parent, const ConnectionOptions& options, int& exit_code,
                                 std::string name, std::string description, std::string type,
                                 const std::function<void(CLI::App&, ConversationArgs&)>& setup, PayloadMaker make);

// Common argument declarations.
void positional_id(CLI::App& cmd, ConversationArgs& a, const char* what);
void paging_options(CLI::App& cmd, ConversationArgs& a);
// limit and cursor into the payload when given.
void add_paging(const ConversationArgs& a, core::ObjectBuilder& payload);

}  // namespace qsip::cli
