#include "server/groups/channel_actions.hpp"

#include "core/json_writer.hpp"
#include "server/groups/group_audit.hpp"
#include "server/groups/group_authority.hpp"
#include "server/workspaces/workspace_store.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

void fail(GroupOutcome& o, ErrorCode code, std::string detail) {
  o.error = code;
  o.detail = std::move(detail);
}

std::string channel_receipt(std::string_view channel_id, std::optional<GroupRole> role = std::nullopt) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("channel_id", channel_id);
  if (role) w.member("role", role_name(*role));
  w.end_object();
  return json;
}

// The group steps name `group_id`; a CHANNEL request's field is `channel_id`.
std::string channel_detail(std::string detail) {
  constexpr std::string_view kGroupField = "payload.group_id";
  if (detail.starts_with(kGroupField)) detail.replace(0, kGroupField.size(), "payload.channel_id");
  return detail;
}

void create(GroupStore& store, const ChannelRequest& r, GroupOutcome& o) {
  // Unlike a group's suggestion, a channel's id is the client's: a taken (or
  // once used) one is refused, never replaced.
  if (store.id_taken(r.channel_id))
    return fail(o, ErrorCode::kInvalidActionForState, "payload.channel_id: " + r.channel_id + " is taken");
  if (r.workspace_id && !r.workspace_id->empty())
    if (auto refusal = check_workspace_placement(store, *r.workspace_id, r.user_id, "payload.workspace_id"))
      return fail(o, refusal->code, std::move(refusal->detail));
  GroupRecord c;
  c.group_id = r.channel_id;
  c.name = r.name.value_or("");
  c.topic = r.description.value_or("");
  c.is_public = r.is_public;
  c.workspace_id = r.workspace_id.value_or("");
  c.created_by = r.user_id;
  c.created_at_ms = c.updated_at_ms = r.now_ms;
  c.is_channel = true;
  store.insert_group(c);
  store.set_member(c.group_id, r.user_id, GroupRole::kOwner, r.now_ms);
  o.receipt_json = channel_receipt(c.group_id, GroupRole::kOwner);
  o.audits.push_back(audit_event(kAuditChannelCreated, r.user_id, "channel", c.group_id, R"({"role":"owner"})"));
  o.notices.push_back({{r.user_id}, member_joined_payload(c, r.user_id, GroupRole::kOwner)});
}

// delete, join, leave: the GROUP action on the channel.
void as_group_action(GroupStore& store, const ChannelRequest& r, const GroupRecord& channel, GroupOutcome& o) {
  if (r.action == ChannelAction::kJoin && channel.is_public && !channel.workspace_id.empty() &&
      !store.role_of(channel.group_id, r.user_id) &&
      !WorkspaceStore(store.database()).role_of(channel.workspace_id, r.user_id) &&
      !store.is_invited(channel.group_id, r.user_id))
    return fail(o, ErrorCode::kForbidden,
                "payload.channel_id: " + channel.group_id + " is for members of workspace " + channel.workspace_id);
  GroupRequest g;
  g.user_id = r.user_id;
  g.message_id = r.message_id;
  g.group_id = r.channel_id;
  g.now_ms = r.now_ms;
  g.action = r.action == ChannelAction::kDelete ? GroupAction::kDelete
             : r.action == ChannelAction::kJoin ? GroupAction::kJoin
                                                : GroupAction::kLeave;
  o = apply_group_action(store, g, [](const std::string&) { return true; });
  if (o.error) {
    o.detail = channel_detail(std::move(o.detail));
    return;
  }
  const bool joined = r.action == ChannelAction::kJoin && o.status == "ok";
  o.receipt_json = channel_receipt(r.channel_id, joined ? std::optional(GroupRole::kMember) : std::nullopt);
}

// The channels the asker can see, by id, one page.
void list(GroupStore& store, const ChannelRequest& r, GroupOutcome& o) {
  auto page = store.channels_visible_to(r.user_id, r.workspace_id.value_or(""), r.cursor, r.limit + 1);
  const bool has_more = static_cast<std::int64_t>(page.size()) > r.limit;
  if (has_more) page.pop_back();
  core::JsonWriter w(o.data_json);
  w.begin_object().member("target_message_id", r.message_id).member("action", "list");
  w.key("channels").begin_array();
  for (const auto& c : page) {
    w.begin_object()
        .member("channel_id", c.group_id)
        .member("name", c.name)
        .member("description", c.topic)
        .member("visibility", c.is_public ? "public" : "private");
    if (!c.workspace_id.empty()) w.member("workspace_id", c.workspace_id);
    w.member("member_count", store.member_count(c.group_id));
    if (auto role = store.role_of(c.group_id, r.user_id)) w.member("role", role_name(*role));
    w.end_object();
  }
  w.end_array().member("limit", r.limit).member("has_more", has_more);
  if (has_more && !page.empty()) w.member("next_cursor", page.back().group_id);
  w.end_object();
}

}  // namespace

bool is_read_action(ChannelAction action) { return action == ChannelAction::kList; }

GroupOutcome apply_channel_action(GroupStore& store, const ChannelRequest& r) {
  GroupOutcome o;
  if (r.action == ChannelAction::kCreate) {
    create(store, r, o);
    return o;
  }
  if (r.action == ChannelAction::kList) {
    list(store, r, o);
    return o;
  }
  auto channel = store.group(r.channel_id);
  if (!channel || !channel->is_channel) {
    fail(o, ErrorCode::kGroupNotFound, "payload.channel_id: no channel " + r.channel_id);
    return o;
  }
  as_group_action(store, r, *channel, o);
  return o;
}

}  // namespace qsip::server
