// Internal to the groups module: what each GROUP action does once the group
// is found and the actor's role passed the matrix (group_actions.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/groups/group_actions.hpp"

namespace qsip::server::group_steps {

// One action under way over a live group.
struct Step {
  GroupStore& store;
  const GroupRequest& request;
  const GroupRecord& group;
  std::optional<GroupRole> role;  // the actor's; nullopt: not a member
  GroupOutcome& outcome;
  const AccountCheck& has_account;
  const BanCheck& banned;

  // The 4031 detail when `user` is banned from this group (nullopt: not banned).
  std::optional<std::string> ban_of(const std::string& user, std::string_view field) const {
    if (!banned) return std::nullopt;
    auto until = banned(group.group_id, user);
    if (!until) return std::nullopt;
    return std::string(field) + ": " + user + " is banned from " + group.group_id + " " + *until;
  }

  void fail(core::ErrorCode code, std::string detail) const {
    outcome.error = code;
    outcome.detail = std::move(detail);
  }
  // Notices go to these users' devices.
  void tell(std::vector<std::string> recipients, std::string payload_json) const {
    if (!recipients.empty()) outcome.notices.push_back({std::move(recipients), std::move(payload_json)});
  }
};

// group_actions.cpp
void create(GroupStore& store, const GroupRequest& request, const AccountCheck& has_account, GroupOutcome& outcome);
void update(const Step& step);
void remove_group(const Step& step);
// group_membership_actions.cpp
void invite(const Step& step);
void join(const Step& step);
void leave(const Step& step);
void kick(const Step& step);
void set_role(const Step& step);
void approve_join(const Step& step);
void deny_join(const Step& step);
// group_reads.cpp
void get_info(const Step& step);
void list_members(const Step& step);

// What a RECEIPT carries besides group_id; each member written when set.
struct ReceiptExtra {
  std::string_view target_user_id{};
  std::optional<GroupRole> role{};
  const std::vector<std::string>* invited = nullptr;
};
// `{"group_id": ..., the extra members}` for GroupOutcome::receipt_json.
std::string receipt_with_group(std::string_view group_id, const ReceiptExtra& extra = {});

}  // namespace qsip::server::group_steps
