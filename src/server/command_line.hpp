// qsipd's command line (CLI11): global flags that override the TOML file,
// and subcommands: `serve` (the default), and the operator commands `token`,
// `user` and `audit`.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "server/config.hpp"

namespace qsip::server {

enum class Command {
  serve,         // run the server (also when no subcommand is given)
  token_issue,   // qsipd token issue --user U [--device D] [--ttl S]
  token_revoke,  // qsipd token revoke (--id JTI | --user U [--device D])
  token_list,    // qsipd token list [--user U]
  user_add,      // qsipd user add USER [--display-name NAME]
  user_list,     // qsipd user list
  user_suspend,  // qsipd user suspend USER [--until UNIX_SECONDS] [--lift]
  audit_verify,  // qsipd audit verify
  audit_export,  // qsipd audit export [--since ISO] [--until ISO] [--actor U] [--type T] ... [--output FILE]
};

// Arguments of the operator subcommands (token, user).
struct OperatorArgs {
  std::string user_id;
  std::string device_id;
  std::string token_id;  // jti
  std::string display_name;
  std::int64_t ttl_seconds = 86400;
  std::int64_t until = 0;
  bool lift = false;
  // qsipd audit export: filters as given (times are ISO 8601, checked when run).
  std::string since;
  std::string until_time;
  std::string actor;
  std::string event_type;
  std::string resource_type;
  std::string resource_id;
  std::string output;  // empty: stdout
};

// What to run, with the configuration already merged and validated.
struct Invocation {
  Command command = Command::serve;
  Config config;
  OperatorArgs args;
};

// The process should end now: after --help or --version (code 0, text in
// `out`), or on a usage or configuration error (code 2, text in `err`).
struct CommandLineExit {
  int code = 0;
  std::string out;
  std::string err;
};

inline constexpr int kExitUsage = 2;

// Parses argv (argv[0] is the program name). Order of precedence: flags,
// then the --config file, then the defaults of Config.
std::variant<Invocation, CommandLineExit> parse_command_line(int argc, const char* const* argv);

// The same for a list of arguments without the program name; for tests.
std::variant<Invocation, CommandLineExit> parse_command_line(const std::vector<std::string>& args);

}  // namespace qsip::server
