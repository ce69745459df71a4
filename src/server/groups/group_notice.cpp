#include "server/groups/group_notice.hpp"

#include "core/payload_builders.hpp"

namespace qsip::server {

using core::builders::GroupPayload;

namespace {

GroupPayload about(std::string_view action, std::string_view group_id) {
  GroupPayload p;
  p.action(action).group_id(group_id);
  return p;
}

// Members of the group's description that a client shows, omitted when empty.
void describe(GroupPayload& p, const GroupRecord& g) {
  if (!g.name.empty()) p.name(g.name);
  if (!g.topic.empty()) p.topic(g.topic);
  p.visibility(g.is_public ? "public" : "private");
  if (g.is_channel) p.set("kind", "channel");  // a channel's notices are GROUP ones (docs/groups.md "Channels")
}

}  // namespace

std::string invited_to_group_payload(const GroupRecord& group, std::string_view inviter) {
  auto p = about("invited_to_group", group.group_id);
  describe(p, group);
  p.set("inviter", inviter);
  return p.json();
}

std::string member_joined_payload(const GroupRecord& group, std::string_view user, GroupRole role,
                                  std::string_view approved_by) {
  auto p = about("member_joined", group.group_id);
  p.target_user_id(user).role(role_name(role));
  describe(p, group);
  if (!approved_by.empty()) p.set("approved_by", approved_by);
  return p.json();
}

std::string member_left_payload(std::string_view group_id, std::string_view user, std::string_view reason,
                                std::string_view by) {
  auto p = about("member_left", group_id);
  p.target_user_id(user).set("reason", reason);
  if (!by.empty()) p.set("by_user_id", by);
  return p.json();
}

std::string role_changed_payload(std::string_view group_id, std::string_view user, GroupRole role,
                                 GroupRole previous, std::string_view by) {
  auto p = about("role_changed", group_id);
  p.target_user_id(user).role(role_name(role));
  p.set("previous_role", role_name(previous)).set("by_user_id", by);
  return p.json();
}

std::string group_updated_payload(const GroupRecord& group, std::string_view by) {
  auto p = about("update", group.group_id);
  p.name(group.name).topic(group.topic).avatar_url(group.avatar_url).visibility(group.is_public ? "public" : "private");
  p.set("settings", core::RawJson{group.settings_json}).set("by_user_id", by);
  return p.json();
}

std::string group_deleted_payload(std::string_view group_id, std::string_view by) {
  auto p = about("group_deleted", group_id);
  p.set("by_user_id", by);
  return p.json();
}

std::string join_requested_payload(std::string_view group_id, std::string_view requester) {
  auto p = about("join_requested", group_id);
  p.target_user_id(requester);
  return p.json();
}

std::string join_denied_payload(std::string_view group_id, std::string_view requester, std::string_view by) {
  auto p = about("deny_join", group_id);
  p.target_user_id(requester).set("by_user_id", by);
  return p.json();
}

}  // namespace qsip::server
