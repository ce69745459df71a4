// `qsip group create|update|delete|invite|join|leave|kick|role|info|members`
// (docs/client.md "CLI: groups, channels, workspaces"; docs/groups.md): one
// GROUP request each, the answer printed as one JSON line.
#include "commands.hpp"
#include "conversation_commands.hpp"

namespace qsip::cli {
namespace {

constexpr const char* kGroup = "the group id";

// The descriptive fields of create and update.
void description_options(CLI::App& cmd, ConversationArgs& a) {
  cmd.add_option("--name", a.name, "name");
  cmd.add_option("--topic", a.topic, "topic");
  cmd.add_option("--visibility", a.visibility, "private or public")->check(CLI::IsMember({"private", "public"}));
  cmd.add_option("--workspace", a.workspace, "the workspace it belongs to (you must be one of its members)");
}

void describe(const ConversationArgs& a, core::ObjectBuilder& p) {
  if (!a.name.empty()) p.set("name", a.name);
  if (!a.topic.empty()) p.set("topic", a.topic);
  if (!a.visibility.empty()) p.set("visibility", a.visibility);
  if (!a.workspace.empty()) p.set("workspace_id", a.workspace);
}

// An action on one group with nothing else to say.
void simple(CLI::App& group, const ConnectionOptions& o, int& exit_code, const char* name, const char* help,
            const char* action) {
  add_conversation_subcommand(
      group, o, exit_code, name, help, "GROUP", [](CLI::App& c, ConversationArgs& a) { positional_id(c, a, kGroup); },
      [action](const ConversationArgs& a, core::ObjectBuilder& p) { p.set("action", action).set("group_id", a.id); });
}

}  // namespace

void add_group_commands(CLI::App& app, const ConnectionOptions& o, int& exit_code) {
  auto* group = app.add_subcommand("group", "groups (GROUP): create, update, delete, members and roles");
  group->require_subcommand(1);
  add_conversation_subcommand(
      *group, o, exit_code, "create", "create a group (you become its owner)", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        c.add_option("--id", a.id, "the group id to ask for (the server assigns one when taken or absent)");
        description_options(c, a);
        c.add_option("--invite", a.users, "users to invite")->expected(1, 100);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "create");
        if (!a.id.empty()) p.set("group_id", a.id);
        describe(a, p);
        if (!a.users.empty()) p.set("members", a.users);
      });
  add_conversation_subcommand(
      *group, o, exit_code, "update", "change a group's name, topic, visibility or workspace", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kGroup);
        description_options(c, a);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "update").set("group_id", a.id);
        describe(a, p);
      });
  simple(*group, o, exit_code, "delete", "delete a group (owners, and its workspace's admins)", "delete");
  add_conversation_subcommand(
      *group, o, exit_code, "invite", "invite users to a group", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kGroup);
        c.add_option("users", a.users, "the users to invite")->required()->expected(1, 100);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "invite").set("group_id", a.id).set("members", a.users);
      });
  simple(*group, o, exit_code, "join", "join a group (public, or invited)", "join");
  simple(*group, o, exit_code, "leave", "leave a group (or decline its invitation)", "leave");
  add_conversation_subcommand(
      *group, o, exit_code, "kick", "remove a member from a group", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kGroup);
        c.add_option("user", a.user, "the member to remove")->required();
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "kick").set("group_id", a.id).set("target_user_id", a.user);
      });
  add_conversation_subcommand(
      *group, o, exit_code, "role", "set a member's role", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kGroup);
        c.add_option("user", a.user, "the member")->required();
        c.add_option("role", a.role, "owner, admin, moderator or member")
            ->required()
            ->check(CLI::IsMember({"owner", "admin", "moderator", "member"}));
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "set_role").set("group_id", a.id).set("target_user_id", a.user).set("role", a.role);
      });
  simple(*group, o, exit_code, "info", "print a group's description and your role", "get_info");
  add_conversation_subcommand(
      *group, o, exit_code, "members", "list a group's members, a page at a time", "GROUP",
      [](CLI::App& c, ConversationArgs& a) {
        positional_id(c, a, kGroup);
        paging_options(c, a);
      },
      [](const ConversationArgs& a, core::ObjectBuilder& p) {
        p.set("action", "list_members").set("group_id", a.id);
        add_paging(a, p);
      });
}

}  // namespace qsip::cli
