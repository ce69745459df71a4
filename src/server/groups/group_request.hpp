// A GROUP request (draft 5.14) read out of the validated message into plain
// values, with the checks the type table cannot express (settings, member
// lists, paging). The actions then work on this and never on the JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.hpp"
#include "core/message_view.hpp"
#include "server/groups/group_permissions.hpp"
#include "server/groups/group_role.hpp"

namespace qsip::server {

inline constexpr std::int64_t kDefaultMemberPage = 50;
inline constexpr std::int64_t kMaxMemberPage = 500;
inline constexpr std::size_t kMaxInvitees = 100;  // per create or invite

struct GroupRequest {
  std::string user_id;     // who asks (the registered user)
  std::string message_id;  // the request's, echoed in data answers
  GroupAction action = GroupAction::kGetInfo;
  std::string group_id;    // create: the suggestion, possibly empty
  // create / update; nullopt: not given (update keeps the stored value).
  std::optional<std::string> name, topic, avatar_url, workspace_id;
  std::optional<bool> is_public;
  std::optional<std::string> settings_json;  // an object
  bool join_requests = false;                // settings.join_requests, when settings is given
  std::vector<std::string> members;          // create / invite, without repeats
  std::string target_user_id;
  std::optional<GroupRole> role;             // set_role
  // list_members: a page after `cursor` (opaque to clients: a user id), or
  // from `offset`.
  std::int64_t limit = kDefaultMemberPage;
  std::int64_t offset = 0;
  std::string cursor;
  std::int64_t now_ms = 0;
  // create: the id the group gets when none, or a taken one, was suggested.
  std::string fallback_group_id;
};

// 4052 for the server-originated actions; 4001 naming the field otherwise.
core::Outcome<GroupRequest> read_group_request(const core::MessageView& message, const std::string& user_id,
                                               std::int64_t now_ms);

}  // namespace qsip::server
