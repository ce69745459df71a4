// get_info and list_members: answered with a GROUP of the same action
// carrying the data (wire profile 4). Members read any group they are in;
// anyone reads a public group; a private one is shown to its members and to
// those it invited or who asked to join (they decide on what they see).
#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "server/groups/group_action_steps.hpp"

namespace qsip::server::group_steps {

using core::ErrorCode;

namespace {

bool may_read(const Step& s) {
  if (s.role || s.group.is_public) return true;
  const auto& user = s.request.user_id;
  return s.store.is_invited(s.group.group_id, user) || s.store.has_join_request(s.group.group_id, user);
}

std::string iso_time(std::int64_t ms) {
  return core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

// The answer's first members: correlation, action and group.
void begin_answer(core::JsonWriter& w, const Step& s) {
  w.begin_object()
      .member("target_message_id", s.request.message_id)
      .member("action", action_name(s.request.action))
      .member("group_id", s.group.group_id);
}

}  // namespace

void get_info(const Step& s) {
  if (!may_read(s)) return s.fail(ErrorCode::kForbidden, "payload.group_id: " + s.group.group_id + " is private");
  const auto& g = s.group;
  core::JsonWriter w(s.outcome.data_json);
  begin_answer(w, s);
  w.member("name", g.name).member("topic", g.topic).member("avatar_url", g.avatar_url)
      .member("visibility", g.is_public ? "public" : "private")
      .member("kind", g.is_channel ? "channel" : "group");
  if (!g.workspace_id.empty()) w.member("workspace_id", g.workspace_id);
  w.key("settings").raw(g.settings_json)
      .member("created_by", g.created_by)
      .member("created_at", iso_time(g.created_at_ms))
      .member("updated_at", iso_time(g.updated_at_ms))
      .member("member_count", s.store.member_count(g.group_id));
  // The asker's own standing, so a client knows what it may do.
  if (s.role) w.member("role", role_name(*s.role));
  if (!s.role) w.member("invited", s.store.is_invited(g.group_id, s.request.user_id));
  w.end_object();
}

// A page in user id order. With `cursor` (the previous page's next_cursor)
// the page starts after it and stays correct while members come and go;
// `offset` counts from the first member.
void list_members(const Step& s) {
  if (!may_read(s)) return s.fail(ErrorCode::kForbidden, "payload.group_id: " + s.group.group_id + " is private");
  const auto& r = s.request;
  const auto& id = s.group.group_id;
  const std::int64_t offset = r.cursor.empty() ? r.offset : 0;
  auto page = s.store.members_page(id, r.cursor, offset, r.limit + 1);  // one more: is there a next page
  const bool has_more = static_cast<std::int64_t>(page.size()) > r.limit;
  if (has_more) page.pop_back();

  core::JsonWriter w(s.outcome.data_json);
  begin_answer(w, s);
  w.key("members").begin_array();
  for (const auto& m : page) w.value(m.user_id);
  w.end_array().key("member_details").begin_array();
  for (const auto& m : page)
    w.begin_object()
        .member("user_id", m.user_id)
        .member("role", role_name(m.role))
        .member("joined_at", iso_time(m.joined_at_ms))
        .end_object();
  w.end_array()
      .member("total", s.store.member_count(id))
      .member("limit", r.limit)
      .member("offset", offset)
      .member("has_more", has_more);
  if (has_more && !page.empty()) w.member("next_cursor", page.back().user_id);
  w.end_object();
}

}  // namespace qsip::server::group_steps
