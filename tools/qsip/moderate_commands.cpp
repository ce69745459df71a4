// `qsip moderate mute|unmute|kick|ban|unban|delete-message|warn|suspend`
// (docs/moderation.md "CLI"): each connects, REGISTERs with --token (or
// QSIP_TOKEN) and sends one MODERATION request. The answer goes to stdout
// as one JSON line. Exit 0 on success, 1 on an ERROR (printed as JSON on
// stdout) or when the server cannot be reached, 2 on a usage mistake.
#include <iostream>
#include <memory>
#include <string>

#include "cli_support.hpp"
#include "commands.hpp"
#include "connection_options.hpp"
#include "core/payload_builders.hpp"
#include "json_line.hpp"

namespace qsip::cli {
namespace {

namespace builders = core::builders;

struct ModerateArgs {
  std::string group, user, message, reason, until;
  std::int64_t duration = 0;
  CLI::Option* duration_option = nullptr;
};

// What each subcommand asks for: its wire action and which options it takes.
struct Subcommand {
  const char* name;
  const char* action;
  const char* help;
  bool group;      // --group is required (else optional)
  bool expires;    // --duration / --until
};

constexpr Subcommand kSubcommands[] = {
    {"mute", "mute_user_in_group", "mute a member of a group (--duration or --until: for a while)", true, true},
    {"unmute", "unmute_user_in_group", "lift a member's mute", true, false},
    {"kick", "kick_user_from_group", "remove a member from a group", true, false},
    {"ban", "ban_user_from_group", "remove a user from a group and keep them out (--duration or --until: for a while)",
     true, true},
    {"unban", "unban_user_from_group", "lift a user's ban from a group", true, false},
    {"delete-message", "delete_message",
     "delete anyone's message (--group: a group's; without: server administrators, any message)", false, false},
    {"warn", "warn_user", "warn a user (--group: about a group; without: server administrators)", false, false},
    {"suspend", "suspend_user_account", "suspend an account (server administrators; --duration or --until: for a while)",
     false, true},
};

void run(const ConnectionOptions& options, const Subcommand& s, const ModerateArgs& a, int& exit_code) {
  auto client = registered_client(options, "moderate", exit_code);
  if (!client) return;
  builders::ModerationPayload payload;
  payload.action(s.action);
  if (!a.user.empty()) payload.target_user_id(a.user);
  if (!a.group.empty()) payload.target_group_id(a.group);
  if (!a.message.empty()) payload.target_message_id(a.message);
  if (!a.reason.empty()) payload.reason(a.reason);
  if (a.duration_option && a.duration_option->count() > 0) payload.set("duration_seconds", a.duration);  // an integer
  if (!a.until.empty()) payload.expires_at(a.until);
  auto answer = client->request(make_envelope(options, "MODERATION", payload.json())).get();
  std::cout << one_line(answer.json()) << std::endl;
  exit_code = answer.is_error() ? 1 : 0;
  client->close();
}

}  // namespace

void add_moderate_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* moderate = app.add_subcommand("moderate", "MODERATION: act as a moderator or server administrator; print the answer");
  moderate->require_subcommand(1);
  for (const auto& s : kSubcommands) {
    auto* cmd = moderate->add_subcommand(s.name, s.help);
    auto a = std::make_shared<ModerateArgs>();
    auto* group = cmd->add_option("--group", a->group, "target_group_id: the group");
    if (s.group) group->required();
    if (std::string_view(s.action) == "delete_message") {
      cmd->add_option("--message", a->message, "target_message_id: the message")->required();
      cmd->add_option("--user", a->user, "target_user_id: its author, when several sent a message with this id");
    } else {
      cmd->add_option("--user", a->user, "target_user_id: the user")->required();
    }
    cmd->add_option("--reason", a->reason, "reason, told to the user");
    if (s.expires) {
      a->duration_option = cmd->add_option("--duration", a->duration, "duration_seconds: lifted after this many seconds")
                               ->check(CLI::PositiveNumber);
      cmd->add_option("--until", a->until, "expires_at: lifted at this ISO 8601 time (2026-06-01T09:00:00Z)")
          ->excludes(a->duration_option);
    }
    cmd->callback([&options, &s, a, &exit_code] { run(options, s, *a, exit_code); });
  }
}

}  // namespace qsip::cli
