// Flags are read into strings first and converted by the same parsers the
// TOML reader uses, so a bad value reads the same from either source.
#include "server/command_line.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <sstream>

namespace qsip::server {
namespace {

// What the command line said; empty means "not given".
struct Flags {
  std::string config_file;
  std::string data_dir;
  std::vector<std::string> listen;
  std::string admin_listen;
  std::string log_format;
  std::string log_level;
  std::string workers;
  std::string server_id;
  std::string node_id;
  std::string cert;
  std::string key;
};

const char* kFooter = R"(Precedence: flags override the --config file, which overrides the defaults.
The [server], [tls], [quic], [admin] and [log] tables of the file are listed in
docs/configuration.md. Exit status 2 means a usage or configuration error.)";

void describe(CLI::App& app, Flags& f) {
  app.add_option("--config", f.config_file, "TOML configuration file; flags override its values")
      ->option_text("FILE");
  app.add_option("--data-dir", f.data_dir,
                 "Data directory (created 0700; holds TLS and token keys). Default: ./data")
      ->option_text("DIR");
  app.add_option("--listen", f.listen,
                 "UDP address for QUIC; repeat for several. Replaces the configured list. "
                 "Default: [::]:4433 and 0.0.0.0:4433")
      ->option_text("ADDR:PORT")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--admin-listen", f.admin_listen,
                 "TCP address of the admin HTTP endpoint (/healthz, /metrics); port 0 = ephemeral. "
                 "Default: 127.0.0.1:9090")
      ->option_text("ADDR:PORT");
  app.add_option("--log-format", f.log_format, "Log lines as text or JSON objects. Default: text")
      ->option_text("text|json");
  app.add_option("--log-level", f.log_level, "Least severe level logged. Default: info")
      ->option_text("trace|debug|info|warn|error|critical|off");
  app.add_option("--workers", f.workers, "Worker threads; 0 = one per CPU core. Default: 0")->option_text("N");
  app.add_option("--server-id", f.server_id,
                 "from.user_id of server-originated messages (wire profile 4). Default: qsip-server")
      ->option_text("ID");
  app.add_option("--node-id", f.node_id,
                 "from.device_id of server-originated messages (wire profile 4). Default: node-1")
      ->option_text("ID");
  app.add_option("--cert", f.cert,
                 "TLS certificate chain (PEM), with --key. Default: the data dir's tls-cert.pem, "
                 "generated self-signed on first start")
      ->option_text("FILE");
  app.add_option("--key", f.key, "Private key of --cert (PEM). Default: the data dir's tls-key.pem")
      ->option_text("FILE");
}

std::optional<ConfigError> flag_error(std::string_view flag, std::string_view value, std::string_view reason) {
  return ConfigError{fmt::format("{} {}: {}", flag, value, reason)};
}

std::optional<ConfigError> apply_flags(const Flags& f, Config& config) {
  if (!f.data_dir.empty()) config.server.data_dir = f.data_dir;
  if (!f.listen.empty()) {
    std::vector<ListenAddress> addresses;
    for (const auto& text : f.listen) {
      std::string why;
      auto address = parse_listen_address(text, &why);
      if (!address) return flag_error("--listen", text, why);
      addresses.push_back(*address);
    }
    config.server.listen = std::move(addresses);
  }
  if (!f.admin_listen.empty()) {
    std::string why;
    auto address = parse_listen_address(f.admin_listen, &why);
    if (!address) return flag_error("--admin-listen", f.admin_listen, why);
    config.admin.listen = *address;
  }
  if (!f.log_format.empty()) {
    auto format = parse_log_format(f.log_format);
    if (!format) return flag_error("--log-format", f.log_format, "expected text or json");
    config.log.format = *format;
  }
  if (!f.log_level.empty()) {
    auto level = parse_log_level(f.log_level);
    if (!level) return flag_error("--log-level", f.log_level, "expected trace, debug, info, warn, error, critical or off");
    config.log.level = *level;
  }
  if (!f.workers.empty()) {
    std::uint32_t workers = 0;
    auto [end, ec] = std::from_chars(f.workers.data(), f.workers.data() + f.workers.size(), workers);
    if (ec != std::errc() || end != f.workers.data() + f.workers.size()) {
      return flag_error("--workers", f.workers, "expected a non-negative integer");
    }
    config.server.workers = workers;
  }
  if (!f.server_id.empty()) config.server.server_id = f.server_id;
  if (!f.node_id.empty()) config.server.node_id = f.node_id;
  if (!f.cert.empty()) config.tls.cert_file = f.cert;
  if (!f.key.empty()) config.tls.key_file = f.key;
  return std::nullopt;
}

// `qsipd token ...` and `qsipd user ...`: operator commands on the data
// directory (they share --data-dir and --config with the server).
void add_operator_commands(CLI::App& app, OperatorArgs& a, Command& command) {
  auto* token = app.add_subcommand("token", "Issue, revoke and list auth tokens (JWT, ES256, signed with the data dir's key)");
  token->require_subcommand(1);
  token->fallthrough();
  auto* issue = token->add_subcommand("issue", "Print a new token for a user (and optionally one device)");
  issue->fallthrough();
  issue->add_option("--user", a.user_id, "user_id (the token's sub)")->required();
  issue->add_option("--device", a.device_id, "bind the token to this device_id");
  issue->add_option("--ttl", a.ttl_seconds, "lifetime in seconds (default 86400)");
  issue->callback([&] { command = Command::token_issue; });
  auto* revoke = token->add_subcommand("revoke", "Revoke one token (--id), every token of a user (--user), or of a device (--user --device)");
  revoke->fallthrough();
  auto* id = revoke->add_option("--id", a.token_id, "the token's jti (see 'qsipd token list')");
  auto* user = revoke->add_option("--user", a.user_id, "revoke every token of this user");
  revoke->add_option("--device", a.device_id, "with --user: only this device's tokens")->needs(user);
  id->excludes(user);
  revoke->callback([&] { command = Command::token_revoke; });
  auto* list = token->add_subcommand("list", "List issued tokens");
  list->fallthrough();
  list->add_option("--user", a.user_id, "only this user's");
  list->callback([&] { command = Command::token_list; });

  auto* users = app.add_subcommand("user", "Add, list and suspend accounts");
  users->require_subcommand(1);
  users->fallthrough();
  auto* add = users->add_subcommand("add", "Create an account");
  add->fallthrough();
  add->add_option("USER", a.user_id, "user_id")->required();
  add->add_option("--display-name", a.display_name, "display name");
  add->callback([&] { command = Command::user_add; });
  auto* ulist = users->add_subcommand("list", "List accounts");
  ulist->fallthrough();
  ulist->callback([&] { command = Command::user_list; });
  auto* suspend = users->add_subcommand("suspend", "Suspend an account (its tokens are refused), or lift a suspension");
  suspend->fallthrough();
  suspend->add_option("USER", a.user_id, "user_id")->required();
  suspend->add_option("--until", a.until, "Unix time the suspension ends (default: until lifted)");
  suspend->add_flag("--lift", a.lift, "lift the suspension");
  suspend->callback([&] { command = Command::user_suspend; });

  auto* audit = app.add_subcommand("audit", "Check and export the audit log (docs/audit.md)");
  audit->require_subcommand(1);
  audit->fallthrough();
  auto* verify = audit->add_subcommand(
      "verify", "Check the audit log's hash chain: exit 0 with \"ok: N records\", or 1 naming the first bad record");
  verify->fallthrough();
  verify->callback([&] { command = Command::audit_verify; });
  auto* exp = audit->add_subcommand("export", "Write audit events as JSON lines (recorded as a data_export event)");
  exp->fallthrough();
  exp->add_option("--since", a.since, "only events at or after this time (ISO 8601, e.g. 2026-01-01T00:00:00Z)");
  exp->add_option("--until", a.until_time, "only events before this time (ISO 8601)");
  exp->add_option("--actor", a.actor, "only events of this actor_user_id");
  exp->add_option("--type", a.event_type, "only events of this event_type");
  exp->add_option("--resource-type", a.resource_type, "only events on this target_resource_type");
  exp->add_option("--resource-id", a.resource_id, "only events on this target_resource_id");
  exp->add_option("--output", a.output, "write to FILE (created 0600) instead of stdout")->option_text("FILE");
  exp->callback([&] { command = Command::audit_export; });
}

CommandLineExit usage_error(std::string message) {
  return {kExitUsage, "", "qsipd: " + message + "\nRun 'qsipd --help' for the flags.\n"};
}

}  // namespace

std::variant<Invocation, CommandLineExit> parse_command_line(int argc, const char* const* argv) {
  CLI::App app{"qsipd: the QSIP server (JSON signaling over QUIC).", "qsipd"};
  app.set_version_flag("--version", std::string("qsipd ") + QSIP_VERSION);
  app.footer(kFooter);
  Flags flags;
  describe(app, flags);
  // Flags may be written before or after "serve": the subcommand passes
  // what it does not know to the main command.
  auto* serve = app.add_subcommand("serve", "Run the server (the default when no subcommand is given)");
  serve->fallthrough();
  OperatorArgs args;
  Command command = Command::serve;
  add_operator_commands(app, args, command);
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    int code = app.exit(e, out, err);
    if (code == static_cast<int>(CLI::ExitCodes::Success)) return CommandLineExit{0, out.str(), err.str()};
    return CommandLineExit{kExitUsage, out.str(), err.str()};
  }

  Invocation invocation;
  invocation.command = command;
  invocation.args = args;
  if (!flags.config_file.empty()) {
    if (auto err = apply_toml_file(flags.config_file, invocation.config)) return usage_error(err->message);
  }
  if (auto err = apply_flags(flags, invocation.config)) return usage_error(err->message);
  if (auto err = validate(invocation.config)) return usage_error(err->message);
  return invocation;
}

std::variant<Invocation, CommandLineExit> parse_command_line(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  argv.push_back("qsipd");
  for (const auto& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

}  // namespace qsip::server
