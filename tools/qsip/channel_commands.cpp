// `qsip channel create|delete|join|leave|list` (docs/client.md "CLI: groups,
// channels, workspaces"; docs/groups.md "Channels"): one CHANNEL request
// each, the answer printed as one JSON line. Members, invitations and roles
// of a channel are `qsip group ...` on the channel id.
#include "commands.hpp"
#include "conversation_commands.hpp"

namespace qsip::cli {
namespace {

constexpr const char* kChannel = "the channel id";

void simple(CLI::App& channel, const ConnectionOptions& o, int& exit_code, const char* name, const char* help) {
  add_conversation_subcommand(
      channel, o, exit_code, name, help, "CHANNEL",
      [](CLI::App& c, ConversationArgs& a) { positional_id(c, a, kChannel); },
      [name](const ConversationArgs& a, core::ObjectBuilder& p) { p.set("action", name).set("channel_id", a.id); });
}

}  // namespace

void add_channel_commands(CLI::App& app, const ConnectionOptions& o, int& exit_code) {
  auto* channel = app.add_subcommand("channel", "channels (CHANNEL): create, delete, join, leave, list");
  channel->require_subcommand(1);
  add_conversation_subcommand(
      *channel, o, exit_code, "create", "create a channel (you become its owner)", "CHANNEL",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kChannel);
        c.add_option("--name", a.name, "name");
        c.add_option("--description", a.description, "description");
        c.add_option("--workspace", a.workspace, "the workspace it belongs to (you must be one of its members)");
        c.add_option("--visibility", a.visibility, "public (the default) or private")
            ->check(CLI::IsMember({"private", "public"}));
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "create").set("channel_id", a.id);
        if (!a.name.empty()) p.set("name", a.name);
        if (!a.description.empty()) p.set("description", a.description);
        if (!a.workspace.empty()) p.set("workspace_id", a.workspace);
        if (!a.visibility.empty()) p.set("visibility", a.visibility);
      });
  simple(*channel, o, exit_code, "delete", "delete a channel (owners, and its workspace's admins)");
  simple(*channel, o, exit_code, "join", "join a channel");
  simple(*channel, o, exit_code, "leave", "leave a channel");
  add_conversation_subcommand(
      *channel, o, exit_code, "list", "list the channels you can see, a page at a time", "CHANNEL",
      [](CLI::App& c, ConversationArgs& a) {
        c.add_option("--workspace", a.workspace, "only this workspace's channels");
        paging_options(c, a);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "list");
        if (!a.workspace.empty()) p.set("workspace_id", a.workspace);
        add_paging(a, p);
      });
}

}  // namespace qsip::cli
