// The CHANNEL actions (draft 5.30; docs/groups.md "Channels"). A channel is
// a conversation of kind 'channel' in the groups store: create and list are
// its own, delete / join / leave are the GROUP actions on the channel (same
// permission matrix, effective roles, notices) with the channel's rules
// first (a public channel of a workspace is for the workspace's members)
// and the channel's field names in the answers.
#pragma once

#include "server/groups/channel_request.hpp"
#include "server/groups/group_actions.hpp"

namespace qsip::server {

// list only reads; the others write (run them in one writer task).
bool is_read_action(ChannelAction action);

GroupOutcome apply_channel_action(GroupStore& store, const ChannelRequest& request);

}  // namespace qsip::server
