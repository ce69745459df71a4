// A CHANNEL request (draft 5.30 plus the extensions of docs/groups.md
// "Channels") read out of the validated message into plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/failure.hpp"
#include "core/message_view.hpp"

namespace qsip::server {

enum class ChannelAction { kCreate, kDelete, kJoin, kLeave, kList };

inline constexpr std::int64_t kDefaultChannelPage = 50;
inline constexpr std::int64_t kMaxChannelPage = 500;

struct ChannelRequest {
  std::string user_id;
  std::string message_id;
  ChannelAction action = ChannelAction::kList;
  std::string channel_id;                 // every action but list
  std::optional<std::string> name, description, workspace_id;
  bool is_public = true;                  // create: channels are public unless said otherwise
  // list: the channels after `cursor` (a channel id), at most `limit`, in
  // `workspace_id` when given.
  std::int64_t limit = kDefaultChannelPage;
  std::string cursor;
  std::int64_t now_ms = 0;
};

std::string_view action_name(ChannelAction action);

// 4001 naming the field for what the type table cannot check.
core::Outcome<ChannelRequest> read_channel_request(const core::MessageView& message, const std::string& user_id,
                                                   std::int64_t now_ms);

}  // namespace qsip::server
