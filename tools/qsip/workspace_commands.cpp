// `qsip workspace create|delete|get|list|invite|join|leave|role|kick|members`
// (docs/client.md "CLI: groups, channels, workspaces"; docs/groups.md
// "Workspaces"): one WORKSPACE request each, the answer as one JSON line.
#include "commands.hpp"
#include "conversation_commands.hpp"

namespace qsip::cli {
namespace {

constexpr const char* kWorkspace = "the workspace id";

void simple(CLI::App& workspace, const ConnectionOptions& o, int& exit_code, const char* name, const char* help) {
  add_conversation_subcommand(
      workspace, o, exit_code, name, help, "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) { positional_id(c, a, kWorkspace); },
      [name](const ConversationArgs& a, core::ObjectBuilder& p) { p.set("action", name).set("workspace_id", a.id); });
}

}  // namespace

void add_workspace_commands(CLI::App& app, const ConnectionOptions& o, int& exit_code) {
  auto* workspace = app.add_subcommand("workspace", "workspaces (WORKSPACE): create, delete, members and roles");
  workspace->require_subcommand(1);
  add_conversation_subcommand(
      *workspace, o, exit_code, "create", "create a workspace (you become its owner)", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kWorkspace);
        c.add_option("--name", a.name, "name");
        c.add_option("--description", a.description, "description");
        c.add_option("--visibility", a.visibility, "private (the default) or public")
            ->check(CLI::IsMember({"private", "public"}));
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        core::ObjectBuilder info;
        info.set("name", a.name).set("description", a.description);
        if (!a.visibility.empty()) info.set("visibility", a.visibility);
        p.set("action", "create").set("workspace_id", a.id).set("workspace_info", info);
      });
  simple(*workspace, o, exit_code, "delete", "delete a workspace with its groups and channels (owners)");
  simple(*workspace, o, exit_code, "get", "print a workspace, your role and the groups and channels you can see");
  add_conversation_subcommand(
      *workspace, o, exit_code, "list", "list your workspaces", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) { paging_options(c, a); },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "list");
        add_paging(a, p);
      });
  add_conversation_subcommand(
      *workspace, o, exit_code, "invite", "invite users to a workspace (admins, owners)", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kWorkspace);
        c.add_option("users", a.users, "the users to invite")->required()->expected(1, 100);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "invite").set("workspace_id", a.id).set("members", a.users);
      });
  simple(*workspace, o, exit_code, "join", "join a workspace (public, or invited)");
  simple(*workspace, o, exit_code, "leave", "leave a workspace and its groups and channels");
  add_conversation_subcommand(
      *workspace, o, exit_code, "role", "set a member's workspace role", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kWorkspace);
        c.add_option("user", a.user, "the member")->required();
        c.add_option("role", a.role, "owner, admin or member")
            ->required()
            ->check(CLI::IsMember({"owner", "admin", "member"}));
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "set_role").set("workspace_id", a.id).set("target_user_id", a.user).set("role", a.role);
      });
  add_conversation_subcommand(
      *workspace, o, exit_code, "kick", "remove a member from a workspace and its groups and channels", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kWorkspace);
        c.add_option("user", a.user, "the member to remove")->required();
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "kick").set("workspace_id", a.id).set("target_user_id", a.user);
      });
  add_conversation_subcommand(
      *workspace, o, exit_code, "members", "list a workspace's members, a page at a time", "WORKSPACE",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kWorkspace);
        paging_options(c, a);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "list_members").set("workspace_id", a.id);
        add_paging(a, p);
      });
}

}  // namespace qsip::cli
