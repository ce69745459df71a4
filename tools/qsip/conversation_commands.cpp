#include "conversation_commands.hpp"

#include "cli_support.hpp"

namespace qsip::cli {

void add_conversation_subcommand(CLI::App& parent, const ConnectionOptions& options, int& exit_code,
                                 std::string name, std::string description, std::string type,
                                 const std::function<void(CLI::App&, ConversationArgs&)>& setup, PayloadMaker make) {
  auto* cmd = parent.add_subcommand(name, description);
  auto args = std::make_shared<ConversationArgs>();
  setup(*cmd, *args);
  const std::string command = parent.get_name() + " " + name;
  cmd->callback([&options, &exit_code, args, command, type, make = std::move(make)] {
    core::ObjectBuilder payload;
    make(*args, payload);
    request_and_print(options, command, type, payload.json(), {}, exit_code);
  });
}

void positional_id(CLI::App& cmd, ConversationArgs& a, const char* what) {
  cmd.add_option("id", a.id, what)->required();
}

void paging_options(CLI::App& cmd, ConversationArgs& a) {
  a.limit_option = cmd.add_option("--limit", a.limit, "at most this many (1 to 500)")->check(CLI::Range(1, 500));
  cmd.add_option("--cursor", a.cursor, "the previous page's next_cursor");
}

void add_paging(const ConversationArgs& a, core::ObjectBuilder& payload) {
  if (a.limit_option && a.limit_option->count() > 0) payload.set("limit", a.limit);
  if (!a.cursor.empty()) payload.set("cursor", a.cursor);
}

}  // namespace qsip::cli
