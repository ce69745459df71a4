// `qsip schema TYPE`: prints the JSON Schema (draft 2020-12) of a payload type,
// or of the envelope with `qsip schema envelope`; `--list` names them all.
#include <iostream>

#include "commands.hpp"
#include "core/message_type.hpp"
#include "core/schema_writer.hpp"

namespace qsip::cli {

void add_schema_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("schema", "print the JSON Schema of a message type (or of the envelope)");
  auto name = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  cmd->add_option("TYPE", *name, "a message type such as MESSAGE, or 'envelope'");
  cmd->add_flag("--list", *list, "list the names schemas exist for");
  cmd->callback([name, list, &exit_code] {
    if (*list || name->empty()) {
      std::cout << "envelope\n";
      for (const auto& spec : core::registered_types()) std::cout << spec.name << '\n';
      return;
    }
    if (*name == "envelope") {
      std::cout << core::envelope_schema();
      return;
    }
    const auto* spec = core::find_type(*name);
    if (!spec) {
      std::cerr << "qsip schema: unknown type '" << *name << "' (try --list)\n";
      exit_code = 2;
      return;
    }
    std::cout << core::payload_schema(*spec);
  });
}

}  // namespace qsip::cli
