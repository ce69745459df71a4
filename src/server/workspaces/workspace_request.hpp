// A WORKSPACE request (draft 5.34 plus the extensions of docs/groups.md
// "Workspaces") read out of the validated message into plain values, with
// the checks the type table cannot express (member lists, paging).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.hpp"
#include "core/message_view.hpp"
#include "server/workspaces/workspace_role.hpp"

namespace qsip::server {

enum class WorkspaceAction { kCreate, kDelete, kGet, kList, kInvite, kJoin, kLeave, kSetRole, kKick, kListMembers };

inline constexpr std::int64_t kDefaultWorkspacePage = 50;
inline constexpr std::int64_t kMaxWorkspacePage = 500;
inline constexpr std::size_t kMaxWorkspaceInvitees = 100;

struct WorkspaceRequest {
  std::string user_id;
  std::string message_id;
  WorkspaceAction action = WorkspaceAction::kGet;
  std::string workspace_id;  // every action but list
  // create: workspace_info.
  std::string name, description;
  bool is_public = false;
  std::vector<std::string> members;  // invite, without repeats
  std::string target_user_id;        // kick, set_role
  std::optional<WorkspaceRole> role;  // set_role
  // list, list_members: the page after `cursor` (an id), at most `limit`.
  std::int64_t limit = kDefaultWorkspacePage;
  std::string cursor;
  std::int64_t now_ms = 0;
};

std::string_view action_name(WorkspaceAction action);

// 4052 for the server-originated actions; 4001 naming the field otherwise.
core::Outcome<WorkspaceRequest> read_workspace_request(const core::MessageView& message, const std::string& user_id,
                                                       std::int64_t now_ms);

}  // namespace qsip::server
